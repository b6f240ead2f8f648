import type { Caip2 } from '@open402/core'

/**
 * An SPL token on one network: its mint, decimals and owning program (SPL Token unless said otherwise).
 * The devnet's `svm.mint` and `svm.mint2022` have this shape, so `{ [devnet.svm.network]: devnet.svm.mint }`
 * is a valid map.
 */
export interface SvmAsset {
  address: string
  decimals: number
  /** `TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA` (default) or `TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`. */
  tokenProgram?: string
  symbol?: string
  name?: string
}

/** Assets by CAIP-2 network, passed to `exactSvmServer`/`exactSvmClient` to add or override the built-in table. */
export type SvmAssets = Partial<Record<Caip2 | string, SvmAsset>>
