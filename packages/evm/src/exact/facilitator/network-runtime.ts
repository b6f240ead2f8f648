import { type Caip2, evmChainId, X402Error } from '@open402/core'
import { type Address, createPublicClient, getAddress, http, type PublicClient, type Transport } from 'viem'
import { FeeCache } from './fee-cache.js'

/** How the facilitator reaches one network: an RPC URL, a viem transport, or a ready `PublicClient`. */
export interface ExactEvmNetworkConfig {
  rpcUrl?: string
  transport?: Transport
  client?: PublicClient
  /** Multicall3 used for the one diagnosis call after a failed simulation; default the canonical address. */
  multicallAddress?: Address
  /**
   * Gas limit of the settlement transaction. Defaults: 200k for an ECDSA signature, 350k for a contract
   * (EIP-1271) signature; through a Permit2 proxy 300k, and 500k with an EIP-2612 permit or a contract
   * signature. Raise it on chains whose gas includes L1 data costs (e.g. Arbitrum) if needed.
   */
  gasLimit?: bigint
  /** How long fees fetched from the chain are reused, in ms; default 10 s. */
  feeRefreshMs?: number
}

/** The canonical Multicall3 address, deployed on nearly every EVM chain. */
export const MULTICALL3_ADDRESS: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

/** Everything about a network that does not change between requests, built once. */
export interface NetworkRuntime {
  network: Caip2
  chainId: number
  client: PublicClient
  multicallAddress: Address
  /**
   * Gas limits of settlement transactions: EIP-3009 with an ECDSA or a contract signature; a Permit2 proxy
   * `settle` with an ECDSA signature, and any other Permit2 settlement (`settleWithPermit`, or a contract
   * signature).
   */
  gasLimit: { ecdsa: bigint; contract: bigint; permit2: bigint; permit2Contract: bigint }
  fees: FeeCache
  /** The node as configured (its URL, transport or client): senders of one key on one node share a nonce. */
  node: string | object
}

/** Builds the runtime of a configured network; throws `X402Error` on bad configuration. */
export function createNetworkRuntime(
  network: string,
  config: ExactEvmNetworkConfig | string,
): NetworkRuntime {
  const chainId = evmChainId(network)
  const options: ExactEvmNetworkConfig = typeof config === 'string' ? { rpcUrl: config } : config
  let client: PublicClient
  if (options.client) client = options.client
  else if (options.transport) client = createPublicClient({ transport: options.transport })
  else if (options.rpcUrl) client = createPublicClient({ transport: http(options.rpcUrl) })
  else {
    throw new X402Error(
      'invalid_config',
      `exactEvmFacilitator: network ${network} needs an rpcUrl, a transport or a client (e.g. { '${network}': { rpcUrl: 'https://…' } })`,
    )
  }
  return {
    network: network as Caip2,
    chainId,
    client,
    multicallAddress: getAddress(options.multicallAddress ?? MULTICALL3_ADDRESS),
    gasLimit: {
      ecdsa: options.gasLimit ?? 200_000n,
      contract: options.gasLimit ?? 350_000n,
      permit2: options.gasLimit ?? 300_000n,
      permit2Contract: options.gasLimit ?? 500_000n,
    },
    fees: new FeeCache(client, options.feeRefreshMs ?? 10_000),
    node: options.client ?? options.transport ?? (options.rpcUrl as string),
  }
}
