import { expect, test } from 'vitest'
import * as devnet from './index.js'

test('the public surface of @open402/devnet', () => {
  expect(Object.keys(devnet).sort()).toEqual([
    'DEFAULT_SVM_SLOT_MS',
    'DEVNET_CHAIN_ID',
    'DEVNET_CLI_OPTIONS',
    'DEVNET_CLI_OPTIONS_HELP',
    'EVM_STAND_INS',
    'INITIAL_ETH_BALANCE',
    'INITIAL_LAMPORTS',
    'INITIAL_TOKEN_BALANCE',
    'MULTICALL3_ADDRESS',
    'PERMIT2_ADDRESS',
    'SVM_DEVNET_GENESIS_HASH',
    'SVM_DEVNET_NETWORK',
    'SVM_DEVNET_USDC_MINT',
    'SVM_TOKEN_2022_PROGRAM_ADDRESS',
    'SVM_TOKEN_PROGRAM_ADDRESS',
    'USDC_LIKE_TOKEN',
    'X402_EXACT_PERMIT2_PROXY_ADDRESS',
    'X402_UPTO_PERMIT2_PROXY_ADDRESS',
    'createSvmRpc',
    'deploySmartWallet',
    'devnetChain',
    'devnetStartOptions',
    'mintSvmTokens',
    'mintTokens',
    'multicall3Abi',
    'permit2Abi',
    'smartWalletAbi',
    'startDevnet',
    'startLossyProxy',
    'svmAssociatedTokenAddress',
    'svmTokenBalance',
    'tokenBalance',
    'usdcLikeTokenAbi',
    'x402ExactPermit2ProxyAbi',
    'x402UptoPermit2ProxyAbi',
  ])
  expect(devnet.SVM_DEVNET_NETWORK).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1')
  expect(devnet.SVM_DEVNET_USDC_MINT).toBe('4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU')
  expect(devnet.MULTICALL3_ADDRESS).toBe('0xcA11bde05977b3631167028862bE2a173976CA11')
  expect(devnet.PERMIT2_ADDRESS).toBe('0x000000000022D473030F116dDEE9F6B43aC78BA3')
  expect(devnet.X402_EXACT_PERMIT2_PROXY_ADDRESS).toBe('0x402085c248EeA27D92E8b30b2C58ed07f9E20001')
  expect(devnet.X402_UPTO_PERMIT2_PROXY_ADDRESS).toBe('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002')
  expect(devnet.USDC_LIKE_TOKEN).toEqual({ name: 'USD Coin', version: '2', symbol: 'USDC', decimals: 6 })
  expect(devnet.usdcLikeTokenAbi.filter((item) => item.type === 'function').map((item) => item.name)).toEqual(
    expect.arrayContaining([
      'transferWithAuthorization',
      'receiveWithAuthorization',
      'cancelAuthorization',
      'authorizationState',
      'permit',
      'nonces',
      'DOMAIN_SEPARATOR',
      'eip712Domain',
      'mint',
    ]),
  )
})
