import type { Caip2 } from '@open402/core'
import type { Address } from 'viem'

/**
 * A token on one network: its contract, EIP-712 domain (`name`, `version`) and decimals.
 * The devnet's `evm.token` has this shape, so `{ [devnet.evm.network]: devnet.evm.token }` is a valid map.
 */
export interface EvmAsset {
  address: Address | string
  name: string
  version: string
  decimals: number
  symbol?: string
  /**
   * How the exact scheme moves this token: `eip3009` (`transferWithAuthorization`, the default) or `permit2`
   * (a Permit2 witness transfer through the x402 exact Permit2 proxy, for tokens without EIP-3009; the
   * payer must have approved Permit2, or sign an EIP-2612 permit when the route declares
   * `eip2612GasSponsoring`). The server puts it in `extra.assetTransferMethod`.
   */
  assetTransferMethod?: 'eip3009' | 'permit2'
}

/** Assets by CAIP-2 network, passed to `exactEvmServer`/`exactEvmClient` to add or override the built-in table. */
export type EvmAssets = Partial<Record<Caip2 | string, EvmAsset>>
