export { multicall3Abi } from './artifacts/multicall3.js'
export { smartWalletAbi } from './artifacts/smart-wallet.js'
export { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
export {
  DEVNET_CHAIN_ID,
  INITIAL_ETH_BALANCE,
  INITIAL_TOKEN_BALANCE,
  MULTICALL3_ADDRESS,
  USDC_LIKE_TOKEN,
} from './constants.js'
export { deploySmartWallet } from './deploy-smart-wallet.js'
export { devnetChain } from './devnet-chain.js'
export type { Devnet, DevnetAccount, DevnetDescription, EvmDevnetDescription } from './devnet-description.js'
export { mintTokens } from './mint-tokens.js'
export { type StartDevnetOptions, startDevnet } from './start-devnet.js'
export { tokenBalance } from './token-balance.js'
