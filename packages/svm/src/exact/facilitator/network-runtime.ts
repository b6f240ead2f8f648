import { type Caip2, isCaip2, X402Error } from '@open402/core'
import { createSolanaRpc, type Rpc, type SolanaRpcApi } from '@solana/kit'

/** How the facilitator reaches one network: an RPC URL, or a Kit `Rpc` (e.g. with a custom transport). */
export type ExactSvmNetworkConfig = string | { rpcUrl: string } | { rpc: Rpc<SolanaRpcApi> }

/** The RPC of one served network. */
export interface NetworkRuntime {
  network: Caip2
  rpc: Rpc<SolanaRpcApi>
}

/** Builds the runtime of `network` from its configuration; throws `X402Error('invalid_config')`. */
export function createNetworkRuntime(network: string, config: ExactSvmNetworkConfig): NetworkRuntime {
  if (!network.startsWith('solana:') || !isCaip2(network)) {
    throw new X402Error('invalid_config', `exactSvmFacilitator serves solana:* networks, not ${network}`)
  }
  if (typeof config === 'string') return { network, rpc: createSolanaRpc(config) }
  if (config && 'rpc' in config && config.rpc) return { network, rpc: config.rpc }
  if (config && 'rpcUrl' in config && typeof config.rpcUrl === 'string') {
    return { network, rpc: createSolanaRpc(config.rpcUrl) }
  }
  throw new X402Error('invalid_config', `exactSvmFacilitator: network ${network} needs { rpcUrl } or { rpc }`)
}
