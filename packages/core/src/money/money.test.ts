import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import { formatAtomicUnits } from './format-atomic-units.js'
import { parseDollars } from './parse-dollars.js'
import { toAtomicUnits } from './to-atomic-units.js'

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return isX402Error(error) ? error.code : 'not-x402'
  }
  return undefined
}

describe('parseDollars', () => {
  test.each([
    ['$0.001', '0.001'],
    ['0.001', '0.001'],
    ['1', '1'],
    ['$1.50', '1.5'],
    [' $ 2 ', '2'],
    ['.5', '0.5'],
    ['007.100', '7.1'],
    ['1e-7', '0.0000001'],
    ['2.5E3', '2500'],
    [0.001, '0.001'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    [1.5e21, '1500000000000000000000'],
    [0, '0'],
    [123, '123'],
  ])('parses %j as %s', (input, expected) => {
    expect(parseDollars(input)).toBe(expected)
  })

  test.each([
    ['-1'],
    ['$-0.01'],
    [-0.5],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [''],
    ['$'],
    ['abc'],
    ['1,000'],
    ['0x10'],
    ['1.2.3'],
    ['+1'],
    ['1e'],
    ['.'],
  ])('rejects %j with invalid_price', (input) => {
    expect(thrownCode(() => parseDollars(input as string))).toBe('invalid_price')
  })

  test('names the bad price in the message', () => {
    expect(() => parseDollars('ten dollars')).toThrow(/"ten dollars" is not a valid price/)
  })
})

describe('toAtomicUnits', () => {
  test.each([
    ['0.001', 6, 1000n],
    ['1', 6, 1000000n],
    ['0', 6, 0n],
    ['0.000001', 6, 1n],
    ['1.000000', 6, 1000000n],
    ['123.456', 18, 123456000000000000000n],
    [0.1, 18, 100000000000000000n],
    [1e-7, 18, 100000000000n],
    [0.3, 1, 3n],
    ['5', 0, 5n],
    ['99999999999999999999.999999', 6, 99999999999999999999999999n],
  ])('converts %j with %i decimals to %s', (value, decimals, expected) => {
    expect(toAtomicUnits(value, decimals)).toBe(expected)
  })

  test.each([
    ['0.0000001', 6, /would round to zero/],
    [1e-7, 6, /would round to zero/],
    ['1.0000001', 6, /has 7 decimal places but the asset has only 6/],
    ['0.5', 0, /would round to zero/],
    ['-1', 6, /not a non-negative decimal/],
    ['$1', 6, /not a non-negative decimal/],
    ['', 6, /not a non-negative decimal/],
    [Number.NaN, 6, /not a non-negative decimal/],
    [Number.NEGATIVE_INFINITY, 6, /not a non-negative decimal/],
    ['1', -1, /decimals must be an integer/],
    ['1', 1.5, /decimals must be an integer/],
  ])('rejects %j with %i decimals', (value, decimals, message) => {
    expect(thrownCode(() => toAtomicUnits(value, decimals))).toBe('invalid_amount')
    expect(() => toAtomicUnits(value, decimals)).toThrow(message)
  })
})

describe('formatAtomicUnits', () => {
  test.each([
    [1000n, 6, '0.001'],
    ['1000000', 6, '1'],
    [0n, 6, '0'],
    [1n, 18, '0.000000000000000001'],
    [1500000n, 6, '1.5'],
    [42n, 0, '42'],
  ])('formats %s with %i decimals as %s', (amount, decimals, expected) => {
    expect(formatAtomicUnits(amount, decimals)).toBe(expected)
  })

  test('round-trips with toAtomicUnits', () => {
    for (const value of ['0.001', '12.345678', '0', '1000000']) {
      expect(formatAtomicUnits(toAtomicUnits(value, 6), 6)).toBe(value)
    }
  })

  test.each([['-1'], ['1.5'], ['abc'], [-5n]])('rejects %s', (amount) => {
    expect(thrownCode(() => formatAtomicUnits(amount, 6))).toBe('invalid_amount')
  })
})
