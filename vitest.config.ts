import { defineConfig } from 'vitest/config'

// Tests run on sources: the `@open402/source` export condition points every workspace import at src/.
export default defineConfig({
  resolve: { conditions: ['@open402/source'] },
  ssr: { resolve: { conditions: ['@open402/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
