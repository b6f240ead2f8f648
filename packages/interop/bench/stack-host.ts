// Child process of bench/run.ts: serves one stack's facilitator and resource server, plus the facilitators
// of its settle rows, so the load generator and the servers under test do not share an event loop.
import type { DevnetDescription } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import { benchAccounts } from './bench-accounts.js'
import { type SettleFacilitators, startSettleFacilitators } from './settle-facilitators.js'
import { STACKS } from './stacks.js'

/** What the host sends its parent once every server listens. */
export interface HostedStack {
  facilitatorUrl: string
  serverUrl: string
  /** The facilitators of the `POST /settle` rows, each on keys of its own. */
  settle: SettleFacilitators
}

const name = process.argv[2] as Stack['name']
const stack = STACKS[name]
const devnet = JSON.parse(process.env.OPEN402_BENCH_DEVNET ?? 'null') as DevnetDescription | null
if (!stack || !devnet || !process.send) throw new Error('usage: forked by bench/run.ts with a stack name')

// Each stack settles from its own account: a facilitator that tracks its nonce locally must not see another
// process send from the same address between its rounds.
const account = benchAccounts(devnet).hostedFacilitator[name]
const facilitator = await stack.startFacilitatorServer(devnet, account.privateKey)
const server = await stack.startResourceServer(devnet, facilitator.url)
const settle = await startSettleFacilitators(stack, devnet)
process.send({
  facilitatorUrl: facilitator.url,
  serverUrl: server.url,
  settle: settle.facilitators,
} satisfies HostedStack)
process.on('disconnect', async () => {
  await settle.close()
  await server.close()
  await facilitator.close()
  process.exit(0)
})
