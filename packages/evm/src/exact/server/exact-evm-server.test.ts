import { isX402Error, type Price } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { exactEvmServer } from './exact-evm-server.js'

const BASE_USDC = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
const devToken = {
  address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  name: 'USD Coin',
  version: '2',
  decimals: 6,
}

describe('exactEvmServer.price', () => {
  const server = exactEvmServer({ assets: { 'eip155:31337': devToken } })

  test.each<[Price, string, string, string, Record<string, unknown>]>([
    ['$0.001', 'eip155:8453', '1000', BASE_USDC, { name: 'USD Coin', version: '2' }],
    ['0.001', 'eip155:8453', '1000', BASE_USDC, { name: 'USD Coin', version: '2' }],
    [0.001, 'eip155:8453', '1000', BASE_USDC, { name: 'USD Coin', version: '2' }],
    ['$1', 'eip155:8453', '1000000', BASE_USDC, { name: 'USD Coin', version: '2' }],
    [
      '$0.000001',
      'eip155:84532',
      '1',
      '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      { name: 'USDC', version: '2' },
    ],
    [
      '$12.5',
      'eip155:43113',
      '12500000',
      '0x5425890298aed601595a70AB815c96711a31Bc65',
      { name: 'USD Coin', version: '2' },
    ],
    ['$0.01', 'eip155:31337', '10000', devToken.address, { name: 'USD Coin', version: '2' }],
  ])('%s on %s is %s atomic units', (price, network, amount, asset, extra) => {
    expect(server.price(price, network as `${string}:${string}`)).toEqual({ amount, asset, extra })
  })

  test('uses an AssetAmount with a domain as is', () => {
    const price = {
      amount: '42',
      asset: '0x0000000000000000000000000000000000000001',
      extra: { name: 'X', version: '1' },
    }
    expect(server.price(price, 'eip155:8453')).toBe(price)
  })

  test('adds the domain of a known asset to an AssetAmount and keeps its other extra fields', () => {
    expect(
      server.price({ amount: '42', asset: BASE_USDC.toLowerCase(), extra: { memo: 'a' } }, 'eip155:8453'),
    ).toEqual({
      amount: '42',
      asset: BASE_USDC.toLowerCase(),
      extra: { memo: 'a', name: 'USD Coin', version: '2' },
    })
  })

  test.each<[string, Price, string, RegExp]>([
    [
      'an unknown network',
      '$0.01',
      'eip155:999999',
      /no default stablecoin is known for eip155:999999: configure one with exactEvmServer\(\{ assets/,
    ],
    [
      'an unknown asset without a domain',
      { amount: '1', asset: '0x0000000000000000000000000000000000000002' },
      'eip155:8453',
      /not a known EIP-3009 token: add extra \{ name, version \}/,
    ],
    [
      'a fractional AssetAmount',
      { amount: '1.5', asset: BASE_USDC },
      'eip155:8453',
      /atomic units as a decimal string/,
    ],
    [
      'a float sum carrying binary noise (0.1 + 0.2)',
      0.1 + 0.2,
      'eip155:8453',
      /17 decimal places but the asset has only 6/,
    ],
    ['more decimals than USDC has', '$0.0000001', 'eip155:8453', /round to zero/],
    ['a negative price', '-1', 'eip155:8453', /not a valid price/],
    ['garbage', 'ten dollars', 'eip155:8453', /not a valid price/],
  ])('refuses %s with invalid_price', (_case, price, network, message) => {
    let error: unknown
    try {
      server.price(price, network as `${string}:${string}`)
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_price')).toBe(true)
    expect((error as Error).message).toMatch(message)
  })
})
