import { X402Error } from '../errors/x402-error.js'
import { toDecimalString } from './decimal-string.js'

/**
 * Parses a dollar price (`"$0.001"`, `"0.001"`, `0.001`, `1e-7`) into a canonical decimal string, exactly.
 * Throws `X402Error('invalid_price')` for negatives, NaN, Infinity, empty strings and garbage.
 * @example toAtomicUnits(parseDollars('$0.01'), 6) // 10000n
 */
export function parseDollars(price: string | number): string {
  let value: string | number = price
  if (typeof price === 'string') {
    const trimmed = price.trim()
    value = trimmed.startsWith('$') ? trimmed.slice(1).trim() : trimmed
  }
  const decimal = toDecimalString(value)
  if (decimal === undefined) {
    throw new X402Error(
      'invalid_price',
      `${typeof price === 'string' ? JSON.stringify(price) : String(price)} is not a valid price (expected a non-negative amount in dollars such as "$0.001", "0.001" or 0.001)`,
    )
  }
  return decimal
}
