import { configDefaults, defineConfig } from 'vitest/config'

// Tests run on sources: the `@open402/source` export condition points every workspace import at src/.
// The README examples run from packed tarballs (about 10 minutes of npm installs) are their own step,
// `pnpm test:packaging` (CI runs it after `pnpm test`).
const packagingExamples = 'packages/packaging/test/readme-examples.test.ts'

export default defineConfig({
  resolve: { conditions: ['@open402/source'] },
  ssr: { resolve: { conditions: ['@open402/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the test:packaging script only, not a turbo task
      ...(process.env.OPEN402_PACKAGING === '1' ? [] : [packagingExamples]),
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
