export { multicall3Abi } from './artifacts/multicall3.js'
export { permit2Abi } from './artifacts/permit2.js'
export { smartWalletAbi } from './artifacts/smart-wallet.js'
export { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
export { x402ExactPermit2ProxyAbi } from './artifacts/x402-exact-permit2-proxy.js'
export { x402UptoPermit2ProxyAbi } from './artifacts/x402-upto-permit2-proxy.js'
export {
  DEVNET_CHAIN_ID,
  EVM_STAND_INS,
  type EvmStandIn,
  INITIAL_ETH_BALANCE,
  INITIAL_TOKEN_BALANCE,
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  USDC_LIKE_TOKEN,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from './constants.js'
export { deploySmartWallet } from './deploy-smart-wallet.js'
export { devnetChain } from './devnet-chain.js'
export {
  DEVNET_CLI_OPTIONS,
  DEVNET_CLI_OPTIONS_HELP,
  type DevnetCliStart,
  type DevnetCliValues,
  devnetStartOptions,
} from './devnet-cli-options.js'
export type {
  Devnet,
  DevnetAccount,
  DevnetChainKind,
  DevnetDescription,
  DevnetSvmAccount,
  DevnetSvmMint,
  EvmDevnetDescription,
  SvmDevnetDescription,
} from './devnet-description.js'
export { type LossyProxy, startLossyProxy } from './lossy-proxy.js'
export { mintSvmTokens } from './mint-svm-tokens.js'
export { mintTokens } from './mint-tokens.js'
export { type StartDevnetOptions, startDevnet } from './start-devnet.js'
export {
  DEFAULT_SVM_SLOT_MS,
  INITIAL_LAMPORTS,
  SVM_DEVNET_GENESIS_HASH,
  SVM_DEVNET_NETWORK,
  SVM_DEVNET_USDC_MINT,
  SVM_TOKEN_2022_PROGRAM_ADDRESS,
  SVM_TOKEN_PROGRAM_ADDRESS,
} from './svm-constants.js'
export { svmAssociatedTokenAddress } from './svm-genesis.js'
export { createSvmRpc } from './svm-rpc.js'
export { svmTokenBalance } from './svm-token-balance.js'
export { tokenBalance } from './token-balance.js'
