import { describe, expect, test } from 'vitest'
import { formatPrice } from './format-price.js'

const usdc = { address: 'x', decimals: 6, symbol: 'USDC' }

describe('formatPrice', () => {
  test.each([
    ['10000', usdc, '$0.01'],
    ['1000', usdc, '$0.001'],
    ['1', usdc, '$0.000001'],
    ['1500000', usdc, '$1.50'],
    ['0', usdc, '$0.00'],
    ['1234567000000', usdc, '$1,234,567.00'],
    ['50000', { address: 'x', decimals: 6, symbol: 'USDC-2022' }, '$0.05'],
    ['125', { address: 'x', decimals: 1, symbol: 'EURC' }, '12.5'],
    ['1000000000000000000', { address: 'x', decimals: 18 }, '1'],
  ])('%s atomic units of %o read %s', (amount, asset, text) => {
    expect(formatPrice(amount, asset).text).toBe(text)
  })

  test('names the token, uses decimals from the requirements when the asset is unknown, else atomic units', () => {
    expect(formatPrice('10000', usdc)).toEqual({ text: '$0.01', token: 'USDC' })
    expect(formatPrice('2500', undefined, 2)).toEqual({ text: '25', token: undefined })
    expect(formatPrice('2500', undefined)).toEqual({ text: '2500 atomic units', token: undefined })
  })
})
