// Child process of bench/run.ts: serves one stack's facilitator and resource server, so the load generator
// and the servers under test do not share an event loop.
import type { DevnetDescription } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import { STACKS } from './stacks.js'

/** What the host sends its parent once both servers listen. */
export interface HostedStack {
  facilitatorUrl: string
  serverUrl: string
}

const name = process.argv[2] as Stack['name']
const stack = STACKS[name]
const devnet = JSON.parse(process.env.OPEN402_BENCH_DEVNET ?? 'null') as DevnetDescription | null
if (!stack || !devnet || !process.send) throw new Error('usage: forked by bench/run.ts with a stack name')

// Each stack settles from its own account: a facilitator that tracks its nonce locally must not see another
// process send from the same address between its rounds.
const { facilitator: ownAccount, others } = devnet.evm.accounts
const account = name === 'open402' ? ownAccount : others[0]
if (!account) throw new Error('the devnet has no spare account for the official facilitator')
const facilitator = await stack.startFacilitatorServer(devnet, account.privateKey)
const server = await stack.startResourceServer(devnet, facilitator.url)
process.send({ facilitatorUrl: facilitator.url, serverUrl: server.url } satisfies HostedStack)
process.on('disconnect', async () => {
  await server.close()
  await facilitator.close()
  process.exit(0)
})
