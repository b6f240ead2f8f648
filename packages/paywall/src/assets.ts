/**
 * A token the page can price: its address (EVM contract or SPL mint), decimals and symbol. The devnet's
 * `evm.token`, `svm.mint` and `svm.mint2022` have this shape, as do the scheme packages' asset tables.
 */
export interface PaywallAsset {
  address: string
  decimals: number
  symbol?: string
  /** Solana: the mint's token program (default SPL Token); spares the page an RPC lookup. */
  tokenProgram?: string
}

/** Tokens by CAIP-2 network, one or several per network; they add to and override the built-in USDC. */
export type PaywallAssets = Partial<Record<string, PaywallAsset | readonly PaywallAsset[]>>

/** The SPL Token program, the owner of a mint whose `tokenProgram` is not given. */
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'

const usdc = (address: string): PaywallAsset => ({ address, decimals: 6, symbol: 'USDC' })

/** Circle's USDC on the networks of `@open402/evm` and `@open402/svm` (a test keeps them in step). */
export const DEFAULT_ASSETS: Readonly<Record<string, PaywallAsset>> = {
  'eip155:8453': usdc('0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'),
  'eip155:84532': usdc('0x036CbD53842c5426634e7929541eC2318f3dCF7e'),
  'eip155:1': usdc('0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'),
  'eip155:11155111': usdc('0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238'),
  'eip155:137': usdc('0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359'),
  'eip155:80002': usdc('0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582'),
  'eip155:42161': usdc('0xaf88d065e77c8cC2239327C5EDb3A432268e5831'),
  'eip155:421614': usdc('0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d'),
  'eip155:10': usdc('0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85'),
  'eip155:43114': usdc('0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E'),
  'eip155:43113': usdc('0x5425890298aed601595a70AB815c96711a31Bc65'),
  'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp': {
    ...usdc('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'),
    tokenProgram: TOKEN_PROGRAM,
  },
  'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': {
    ...usdc('4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'),
    tokenProgram: TOKEN_PROGRAM,
  },
}

function sameAddress(network: string, a: string, b: string): boolean {
  return network.startsWith('eip155:') ? a.toLowerCase() === b.toLowerCase() : a === b
}

/** The configured or built-in token at `address` on `network`, if the page knows it. */
export function findAsset(
  network: string,
  address: string,
  configured: PaywallAssets | undefined,
): PaywallAsset | undefined {
  const entry = configured?.[network]
  const candidates: readonly PaywallAsset[] =
    entry === undefined ? [] : Array.isArray(entry) ? entry : [entry]
  const builtIn = DEFAULT_ASSETS[network]
  for (const asset of builtIn ? [...candidates, builtIn] : candidates) {
    if (sameAddress(network, asset.address, address)) return asset
  }
  return undefined
}
