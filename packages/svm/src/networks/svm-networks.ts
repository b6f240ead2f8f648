import type { SvmAsset } from './svm-asset.js'

/** A Solana cluster known to open402: its CAIP-2 id, public RPC endpoint and USDC mint if Circle issues one. */
export interface SvmNetwork {
  network: `solana:${string}`
  name: string
  /** The cluster's public RPC endpoint (rate-limited; bring your own in production). */
  rpcUrl: string
  usdc?: SvmAsset
}

/**
 * The Solana clusters, keyed by CAIP-2 id (genesis hash prefix). Testnet has no Circle USDC: price it with
 * an `AssetAmount` or configure a mint with `assets`.
 */
export const SVM_NETWORKS: readonly SvmNetwork[] = [
  {
    network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
    name: 'Solana',
    rpcUrl: 'https://api.mainnet-beta.solana.com',
    usdc: {
      address: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      decimals: 6,
      tokenProgram: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      symbol: 'USDC',
      name: 'USD Coin',
    },
  },
  {
    network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
    name: 'Solana Devnet',
    rpcUrl: 'https://api.devnet.solana.com',
    usdc: {
      address: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
      decimals: 6,
      tokenProgram: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      symbol: 'USDC',
      name: 'USD Coin',
    },
  },
  {
    network: 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z',
    name: 'Solana Testnet',
    rpcUrl: 'https://api.testnet.solana.com',
  },
]

const BY_ID = new Map(SVM_NETWORKS.map((entry) => [entry.network as string, entry]))

/** The table entry of a CAIP-2 Solana network, if known. */
export function findSvmNetwork(network: string): SvmNetwork | undefined {
  return BY_ID.get(network)
}
