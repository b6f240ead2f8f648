import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // node-child-process.ts finds src/*-node-child.cjs through import.meta.url, which the CJS build shims.
  shims: true,
})
