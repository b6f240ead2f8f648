import { expect, test } from 'vitest'
import * as devnet from './index.js'

test('the public surface of @open402/devnet', () => {
  expect(Object.keys(devnet).sort()).toEqual([
    'DEVNET_CHAIN_ID',
    'INITIAL_ETH_BALANCE',
    'INITIAL_TOKEN_BALANCE',
    'MULTICALL3_ADDRESS',
    'USDC_LIKE_TOKEN',
    'deploySmartWallet',
    'devnetChain',
    'mintTokens',
    'multicall3Abi',
    'smartWalletAbi',
    'startDevnet',
    'tokenBalance',
    'usdcLikeTokenAbi',
  ])
  expect(devnet.MULTICALL3_ADDRESS).toBe('0xcA11bde05977b3631167028862bE2a173976CA11')
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
