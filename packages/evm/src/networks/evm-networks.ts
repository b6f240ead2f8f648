import type { Caip2 } from '@open402/core'
import type { EvmAsset } from './evm-asset.js'

/** A known EVM network and its default stablecoin (USDC, EIP-3009). */
export interface EvmNetwork {
  network: Caip2
  chainId: number
  name: string
  testnet: boolean
  usdc: EvmAsset & { address: `0x${string}`; symbol: string }
}

function usdc(address: `0x${string}`, name: 'USD Coin' | 'USDC'): EvmNetwork['usdc'] {
  return { address, name, version: '2', decimals: 6, symbol: 'USDC' }
}

/**
 * Built-in networks with Circle's native USDC. Addresses and EIP-712 domains come from:
 * - Base, Base Sepolia, Ethereum, Polygon, Arbitrum One, Arbitrum Sepolia, Avalanche C-Chain: the
 *   `DEFAULT_ASSETS` table of the official `@x402/evm` 2.27.0 package (dist/esm, `defaultAssets.ts`).
 * - Avalanche Fuji ("USD Coin"): the legacy `x402` package's `types/shared/evm/config.ts` (coinbase/x402).
 * - Sepolia, Polygon Amoy ("USDC", Circle's testnet token name) and Optimism ("USD Coin"): Circle's
 *   published USDC addresses (developers.circle.com/stablecoins/usdc-contract-addresses), cross-checked
 *   against public x402 facilitator configs; the domain names follow Circle's convention of "USDC" on
 *   testnets deployed after 2023 and "USD Coin" on mainnets.
 */
export const EVM_NETWORKS: readonly EvmNetwork[] = [
  {
    network: 'eip155:8453',
    chainId: 8453,
    name: 'Base',
    testnet: false,
    usdc: usdc('0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', 'USD Coin'),
  },
  {
    network: 'eip155:84532',
    chainId: 84532,
    name: 'Base Sepolia',
    testnet: true,
    usdc: usdc('0x036CbD53842c5426634e7929541eC2318f3dCF7e', 'USDC'),
  },
  {
    network: 'eip155:1',
    chainId: 1,
    name: 'Ethereum',
    testnet: false,
    usdc: usdc('0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 'USD Coin'),
  },
  {
    network: 'eip155:11155111',
    chainId: 11155111,
    name: 'Sepolia',
    testnet: true,
    usdc: usdc('0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', 'USDC'),
  },
  {
    network: 'eip155:137',
    chainId: 137,
    name: 'Polygon',
    testnet: false,
    usdc: usdc('0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', 'USD Coin'),
  },
  {
    network: 'eip155:80002',
    chainId: 80002,
    name: 'Polygon Amoy',
    testnet: true,
    usdc: usdc('0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582', 'USDC'),
  },
  {
    network: 'eip155:42161',
    chainId: 42161,
    name: 'Arbitrum One',
    testnet: false,
    usdc: usdc('0xaf88d065e77c8cC2239327C5EDb3A432268e5831', 'USD Coin'),
  },
  {
    network: 'eip155:421614',
    chainId: 421614,
    name: 'Arbitrum Sepolia',
    testnet: true,
    usdc: usdc('0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d', 'USD Coin'),
  },
  {
    network: 'eip155:10',
    chainId: 10,
    name: 'Optimism',
    testnet: false,
    usdc: usdc('0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', 'USD Coin'),
  },
  {
    network: 'eip155:43114',
    chainId: 43114,
    name: 'Avalanche C-Chain',
    testnet: false,
    usdc: usdc('0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E', 'USD Coin'),
  },
  {
    network: 'eip155:43113',
    chainId: 43113,
    name: 'Avalanche Fuji',
    testnet: true,
    usdc: usdc('0x5425890298aed601595a70AB815c96711a31Bc65', 'USD Coin'),
  },
]

const BY_NETWORK = new Map<string, EvmNetwork>(EVM_NETWORKS.map((entry) => [entry.network, entry]))

/** The built-in entry for `network`, or `undefined` if open402 does not know it. */
export function findEvmNetwork(network: string): EvmNetwork | undefined {
  return BY_NETWORK.get(network)
}
