import { isX402Error, type PaymentRequirements } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { exactSvmServer } from './exact-svm-server.js'

const MAINNET = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp' as const
const DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1' as const
const TESTNET = 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z' as const
const FEE_PAYER = 'EwWqGE4ZFKLofuestmU4LDdK7XM1N4ALgdZccwYugwGd'

describe('exactSvmServer.price', () => {
  test.each([
    [MAINNET, '$0.01', '10000', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'],
    [DEVNET, '0.001', '1000', '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'],
    [DEVNET, 2, '2000000', '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'],
  ])('prices %s %s as %s atomic units of USDC', (network, price, amount, asset) => {
    expect(exactSvmServer().price(price, network)).toEqual({ amount, asset })
  })

  test('uses a configured mint with its decimals', () => {
    const mint = { address: '2u1tszSeqZ3qBWF3uNGPFc8TzMk2tdiwknnRMWGWjGWH', decimals: 9 }
    expect(exactSvmServer({ assets: { [TESTNET]: mint } }).price('$0.5', TESTNET)).toEqual({
      amount: '500000000',
      asset: mint.address,
    })
  })

  test('explains that testnet has no default stablecoin', () => {
    const error = (() => {
      try {
        return exactSvmServer().price('$0.01', TESTNET)
      } catch (e) {
        return e
      }
    })()
    expect(isX402Error(error, 'invalid_price')).toBe(true)
    expect((error as Error).message).toContain('no default stablecoin is known for solana:4uhc')
  })

  test.each([
    ['a price finer than the mint', '$0.0000001'],
    ['a negative price', '-1'],
  ])('refuses %s as invalid_price', (_what, price) => {
    expect(() => exactSvmServer().price(price, DEVNET)).toThrow(
      expect.objectContaining({ code: 'invalid_price' }),
    )
  })

  test('passes an AssetAmount through and refuses a malformed one', () => {
    const server = exactSvmServer()
    const amount = { amount: '5', asset: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU' }
    expect(server.price(amount, DEVNET)).toBe(amount)
    expect(() => server.price({ amount: '5', asset: '0xabc' }, DEVNET)).toThrow(/base58 address/)
    expect(() => server.price({ amount: '1.5', asset: amount.asset }, DEVNET)).toThrow(/atomic units/)
  })
})

describe('exactSvmServer.complete', () => {
  const base: PaymentRequirements = {
    scheme: 'exact',
    network: DEVNET,
    amount: '10000',
    asset: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
    payTo: '2wKupLR9q6wXYppw8Gr2NvWxKBUqm4PPJKkQfoxHDBg4',
    maxTimeoutSeconds: 60,
    extra: { memo: 'inv-1' },
  }

  test("sets extra.feePayer from the facilitator's kind and keeps the rest", () => {
    const kind = { x402Version: 2, scheme: 'exact', network: DEVNET, extra: { feePayer: FEE_PAYER } }
    expect(exactSvmServer().complete?.(base, kind)).toEqual({
      ...base,
      extra: { memo: 'inv-1', feePayer: FEE_PAYER },
    })
  })

  test.each([
    ['no extra', undefined],
    ['a fee payer that is not an address', { feePayer: '0x1234' }],
  ])('throws invalid_config for a kind with %s', (_what, extra) => {
    const kind = { x402Version: 2, scheme: 'exact', network: DEVNET, ...(extra ? { extra } : {}) }
    expect(() => exactSvmServer().complete?.(base, kind)).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    )
  })
})
