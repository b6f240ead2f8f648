/** An asset on the ledger and its decimals. TODO(real chain): a token address and its metadata. */
export interface LedgerAsset {
  asset: string
  decimals: number
}

/** The ledger's dollar stablecoin, what a `'$0.01'` price is paid in by default. */
export const LEDGER_USD: LedgerAsset = { asset: 'LUSD', decimals: 6 }
