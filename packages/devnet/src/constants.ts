/** The chain id of the devnet's EVM chain (Hardhat's default). */
export const DEVNET_CHAIN_ID = 31337

/** Where public chains (and the devnet) have Multicall3; viem and the official x402 facilitator call it here. */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11'

/** The metadata of the devnet's USD-coin-like token, matching USDC's EIP-712 domain name and version. */
export const USDC_LIKE_TOKEN = { name: 'USD Coin', version: '2', symbol: 'USDC', decimals: 6 } as const

/** What the payer and every `others` account hold at start: 1,000,000 USDC in atomic units. */
export const INITIAL_TOKEN_BALANCE = 1_000_000_000_000n

/** What every dev account holds at start: 10,000 ETH in wei. */
export const INITIAL_ETH_BALANCE = 10_000n * 10n ** 18n
