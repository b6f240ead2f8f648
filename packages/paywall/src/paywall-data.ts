import type { PaymentRequired } from '@open402/core'

/**
 * What the page's script reads from the embedded JSON: the 402 as sent in PAYMENT-REQUIRED, and what the
 * server knows about each offer the browser can pay (shared by the renderer and the browser script).
 */
export interface PaywallData {
  paymentRequired: PaymentRequired
  offers: PaywallOffer[]
}

/** One payable entry of `accepts`, with what a wallet needs beyond the requirements. */
export interface PaywallOffer {
  /** Index of the offer in `paymentRequired.accepts`. */
  index: number
  /** The wallet family that pays it: an EIP-1193 provider or a Wallet Standard Solana wallet. */
  wallet: 'eip1193' | 'solana'
  /** Display name of the network, e.g. "Base". */
  networkName: string
  /** Display price, e.g. "$0.01 USDC". */
  price: string
  /** A transaction's explorer page with `{tx}` in place of its hash or signature. */
  txUrl?: string
  evm?: EvmChainParams
  solana?: SolanaOfferParams
}

/** The EIP-3085 `wallet_addEthereumChain` parameters of an EVM offer's chain. */
export interface EvmChainParams {
  chainId: number
  chainName: string
  rpcUrls: string[]
  blockExplorerUrls?: string[]
  nativeCurrency: { name: string; symbol: string; decimals: number }
}

/** What the Solana payment needs: an RPC for the blockhash (and the mint if unknown) and the wallet's chain. */
export interface SolanaOfferParams {
  /** JSON-RPC endpoint, absolute or relative to the page (a same-origin proxy). */
  rpcUrl?: string
  /** The Wallet Standard chain id, e.g. `solana:devnet`. */
  walletChain?: string
  /** The mint's decimals and token program when the server knows them (no RPC lookup then). */
  mint?: { decimals: number; tokenProgram: string }
}

/** The id of the `<script type="application/json">` that holds the {@link PaywallData}. */
export const PAYWALL_DATA_ID = 'x402-paywall-data'
