/** The chain id of the devnet's EVM chain (Hardhat's default). */
export const DEVNET_CHAIN_ID = 31337

/** Where public chains (and the devnet) have Multicall3; viem and the official x402 facilitator call it here. */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11'

/** Where public chains have Uniswap's Permit2; the devnet puts its own Permit2 (signature transfers) there. */
export const PERMIT2_ADDRESS = '0x000000000022D473030F116dDEE9F6B43aC78BA3'

/** Where public chains have the x402 exact Permit2 proxy (the `spender` of exact Permit2 payments). */
export const X402_EXACT_PERMIT2_PROXY_ADDRESS = '0x402085c248EeA27D92E8b30b2C58ed07f9E20001'

/** Where public chains have the x402 upto Permit2 proxy (the `spender` of upto payments). */
export const X402_UPTO_PERMIT2_PROXY_ADDRESS = '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002'

/** The metadata of the devnet's USD-coin-like token, matching USDC's EIP-712 domain name and version. */
export const USDC_LIKE_TOKEN = { name: 'USD Coin', version: '2', symbol: 'USDC', decimals: 6 } as const

/** What the payer and every `others` account hold at start: 1,000,000 USDC in atomic units. */
export const INITIAL_TOKEN_BALANCE = 1_000_000_000_000n

/** What every dev account holds at start: 10,000 ETH in wei. */
export const INITIAL_ETH_BALANCE = 10_000n * 10n ** 18n

/**
 * Public testnets the devnet's EVM chain can stand in for (`startDevnet({ standIn })`): the chain id, and
 * the address and EIP-712 domain of the network's USDC, where the devnet then puts its token. x402 V1 and
 * clients with built-in asset tables know only such public networks.
 */
export const EVM_STAND_INS = {
  'base-sepolia': {
    chainId: 84532,
    token: { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', name: 'USDC', version: '2' },
  },
} as const

/** A public network the devnet's EVM chain can stand in for. */
export type EvmStandIn = keyof typeof EVM_STAND_INS
