// The facilitators behind the `POST /settle` rows, served by the stack's child process (stack-host.ts).
import type { DevnetAccount, DevnetDescription } from '@open402/devnet'
import { createFacilitatorFromConfig, startFacilitatorServer } from '@open402/facilitator'
import type { RunningServer } from '../src/serve.js'
import type { Stack } from '../src/stack.js'
import { benchAccounts } from './bench-accounts.js'

/** A settle row's facilitator: its base URL, or why this stack has none. */
export type SettleFacilitator = { url: string } | { unsupported: string }

/** The settle rows' facilitators of one stack, by key count. */
export interface SettleFacilitators {
  oneKey: SettleFacilitator
  fourKeys: SettleFacilitator
}

/**
 * Why the official stack has no four-key row. `toFacilitatorEvmSigner` wraps one address; the official
 * exact scheme's `writeContract` names no sender, so the signer, not the facilitator, would have to pick a
 * key; and `x402Facilitator` settles with the first registered scheme for a network, so registering the
 * scheme once per key does not spread settlements either. Spreading them takes a hand-written signer.
 */
export const OFFICIAL_FOUR_KEYS_UNSUPPORTED =
  'n/a: the official facilitator sends from one key (toFacilitatorEvmSigner wraps one address; the exact ' +
  "scheme's writeContract names no sender; x402Facilitator settles with the first scheme registered for a network)"

/** Starts the stack's settle facilitators on 127.0.0.1; `close` stops them all. */
export async function startSettleFacilitators(
  stack: Stack,
  devnet: DevnetDescription,
): Promise<{ facilitators: SettleFacilitators; close(): Promise<void> }> {
  const signers = benchAccounts(devnet).settleSigners
  const servers: RunningServer[] = []
  const serve = async (start: Promise<RunningServer>): Promise<SettleFacilitator> => {
    const server = await start
    servers.push(server)
    return { url: server.url }
  }
  const facilitators: SettleFacilitators =
    stack.name === 'official'
      ? {
          // The same facilitator the stack's other rows use (Stack.startFacilitatorServer), on its own key.
          oneKey: await serve(stack.startFacilitatorServer(devnet, signers.official.oneKey.privateKey)),
          fourKeys: { unsupported: OFFICIAL_FOUR_KEYS_UNSUPPORTED },
        }
      : {
          oneKey: await serve(startConfiguredFacilitator(devnet, [signers.open402.oneKey])),
          fourKeys: await serve(startConfiguredFacilitator(devnet, signers.open402.fourKeys)),
        }
  return { facilitators, close: async () => void (await Promise.all(servers.map((s) => s.close()))) }
}

/**
 * The open402 facilitator as its service builds it (`createFacilitatorFromConfig`: one exact-scheme
 * instance per key, settlements to the keys in turn), served by `startFacilitatorServer`.
 */
async function startConfiguredFacilitator(
  devnet: DevnetDescription,
  keys: DevnetAccount[],
): Promise<RunningServer> {
  const { network, rpcUrl } = devnet.evm
  const { facilitator } = await createFacilitatorFromConfig({
    evm: [{ network, rpcUrl, privateKeys: keys.map((key) => key.privateKey) }],
  })
  return startFacilitatorServer({ facilitator })
}
