/**
 * What the page knows about a network: its display name and what wallets need. Every field is optional
 * and overrides the built-in entry of a public network field by field.
 */
export interface PaywallNetwork {
  /** Display name, e.g. "Base". */
  name?: string
  /**
   * JSON-RPC endpoint. EVM: offered to the wallet by `wallet_addEthereumChain` when it lacks the chain.
   * Solana: the page reads a recent blockhash (and unknown mints) from it, so it must answer the page's
   * origin (CORS), or be a same-origin path such as `/solana-rpc` proxied by the site.
   */
  rpcUrl?: string
  /** Block explorer home (EVM), given to `wallet_addEthereumChain`. */
  explorerUrl?: string
  /** A transaction's page with `{tx}` in place of its hash or signature; `null` shows no link. */
  txUrl?: string | null
  /** EVM: the native currency for `wallet_addEthereumChain` (default Ether, 18 decimals). */
  nativeCurrency?: { name: string; symbol: string; decimals: number }
  /** Solana: the Wallet Standard chain (`solana:mainnet`, `solana:devnet`, …) wallets are asked to sign for. */
  walletChain?: string
}

const ETHER = { name: 'Ether', symbol: 'ETH', decimals: 18 }
const SEPOLIA_ETHER = { name: 'Sepolia Ether', symbol: 'ETH', decimals: 18 }

function evm(name: string, rpcUrl: string, explorerUrl: string, nativeCurrency = ETHER): PaywallNetwork {
  return { name, rpcUrl, explorerUrl, txUrl: `${explorerUrl}/tx/{tx}`, nativeCurrency }
}

function solana(name: string, rpcUrl: string, cluster: string): PaywallNetwork {
  const query = cluster === 'mainnet' ? '' : `?cluster=${cluster}`
  return {
    name,
    rpcUrl,
    txUrl: `https://explorer.solana.com/tx/{tx}${query}`,
    walletChain: `solana:${cluster}`,
  }
}

/**
 * The public networks of `@open402/evm` and `@open402/svm` (same ids and names; a test keeps them in step).
 * EVM RPC endpoints, explorers and native currencies are the chain definitions of viem 2.57
 * (`viem/chains`); Solana endpoints are the clusters' public ones (rate-limited: bring your own).
 */
export const DEFAULT_NETWORKS: Readonly<Record<string, PaywallNetwork>> = {
  'eip155:8453': evm('Base', 'https://mainnet.base.org', 'https://basescan.org'),
  'eip155:84532': evm(
    'Base Sepolia',
    'https://sepolia.base.org',
    'https://sepolia.basescan.org',
    SEPOLIA_ETHER,
  ),
  'eip155:1': evm('Ethereum', 'https://ethereum.reth.rs/rpc', 'https://etherscan.io'),
  'eip155:11155111': evm(
    'Sepolia',
    'https://11155111.rpc.thirdweb.com',
    'https://sepolia.etherscan.io',
    SEPOLIA_ETHER,
  ),
  'eip155:137': evm('Polygon', 'https://polygon.drpc.org', 'https://polygonscan.com', {
    name: 'POL',
    symbol: 'POL',
    decimals: 18,
  }),
  'eip155:80002': evm('Polygon Amoy', 'https://polygon-amoy.drpc.org', 'https://amoy.polygonscan.com', {
    name: 'POL',
    symbol: 'POL',
    decimals: 18,
  }),
  'eip155:42161': evm('Arbitrum One', 'https://arb1.arbitrum.io/rpc', 'https://arbiscan.io'),
  'eip155:421614': evm(
    'Arbitrum Sepolia',
    'https://sepolia-rollup.arbitrum.io/rpc',
    'https://sepolia.arbiscan.io',
    { name: 'Arbitrum Sepolia Ether', symbol: 'ETH', decimals: 18 },
  ),
  'eip155:10': evm('Optimism', 'https://mainnet.optimism.io', 'https://optimistic.etherscan.io'),
  'eip155:43114': evm('Avalanche C-Chain', 'https://api.avax.network/ext/bc/C/rpc', 'https://snowtrace.io', {
    name: 'Avalanche',
    symbol: 'AVAX',
    decimals: 18,
  }),
  'eip155:43113': evm(
    'Avalanche Fuji',
    'https://api.avax-test.network/ext/bc/C/rpc',
    'https://testnet.snowtrace.io',
    { name: 'Avalanche Fuji', symbol: 'AVAX', decimals: 18 },
  ),
  'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp': solana(
    'Solana',
    'https://api.mainnet-beta.solana.com',
    'mainnet',
  ),
  'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': solana(
    'Solana Devnet',
    'https://api.devnet.solana.com',
    'devnet',
  ),
  'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z': solana(
    'Solana Testnet',
    'https://api.testnet.solana.com',
    'testnet',
  ),
}

/** The settings of `network`: the built-in entry overridden by the configured one, field by field. */
export function resolveNetwork(
  network: string,
  configured: Readonly<Record<string, PaywallNetwork | undefined>> | undefined,
): PaywallNetwork {
  return { ...DEFAULT_NETWORKS[network], ...configured?.[network] }
}
