import { packageBuild } from '../../tsup.base.js'

// The package is a command only: one ESM entry, no type declarations. The shebang of src/cli.ts is kept.
export default packageBuild(['src/cli.ts'], { format: ['esm'], dts: false })
