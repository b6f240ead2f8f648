import type { Caip2 } from '@open402/core'
import type { Address } from 'viem'

/**
 * An EIP-3009 token on one network: its contract, EIP-712 domain (`name`, `version`) and decimals.
 * The devnet's `evm.token` has this shape, so `{ [devnet.evm.network]: devnet.evm.token }` is a valid map.
 */
export interface EvmAsset {
  address: Address | string
  name: string
  version: string
  decimals: number
  symbol?: string
}

/** Assets by CAIP-2 network, passed to `exactEvmServer`/`exactEvmClient` to add or override the built-in table. */
export type EvmAssets = Partial<Record<Caip2 | string, EvmAsset>>
