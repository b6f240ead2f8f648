import type { SchemeFacilitator } from '@open402/core'
import type { ReadinessCheck } from '../readiness.js'

/** A signer's native balance, read on demand (wei on EVM, lamports on Solana). */
export interface SignerBalance {
  network: string
  signer: string
  read(): Promise<bigint>
}

/** Called each time a settlement is handed to a signer, for the per-signer metrics. */
export type SignerSettleHook = (network: string, signer: string) => void

/** One configured network: its scheme parts, its readiness check and its signers' balances. */
export interface ConfiguredChain {
  network: string
  schemes: SchemeFacilitator[]
  readiness: ReadinessCheck
  balances: SignerBalance[]
}
