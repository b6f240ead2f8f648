import { defineConfig, type Options } from 'tsup'

/** The build every public package shares: ESM + CJS + .d.ts for Node 20, one entry per export. */
export function packageBuild(entry: string[], options: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...options,
  })
}
