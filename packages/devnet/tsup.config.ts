import { packageBuild } from '../../tsup.base.js'

export default packageBuild(
  ['src/index.ts', 'src/cli.ts'],
  // node-child-process.ts finds src/*-node-child.cjs through import.meta.url, which the CJS build shims.
  { shims: true },
)
