import { packageBuild } from '__ROOT__/tsup.base.js'

export default packageBuild(['src/index.ts', 'src/client.ts', 'src/server.ts', 'src/facilitator.ts'])
