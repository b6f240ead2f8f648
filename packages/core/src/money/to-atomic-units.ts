import { X402Error } from '../errors/x402-error.js'
import { toDecimalString } from './decimal-string.js'

/**
 * Converts an amount in whole asset units (`"0.001"`, `1`, `1e-7`) to atomic units, exactly.
 * Throws `X402Error('invalid_amount')` for negatives, non-finite numbers, garbage, more fractional digits
 * than the asset has, and non-zero amounts that would round to zero.
 * @example toAtomicUnits('0.001', 6) // 1000n
 */
export function toAtomicUnits(value: string | number, decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw new X402Error(
      'invalid_amount',
      `decimals must be an integer between 0 and 255, got ${String(decimals)}`,
    )
  }
  const decimal = toDecimalString(value)
  if (decimal === undefined) {
    throw new X402Error(
      'invalid_amount',
      `${describe(value)} is not a non-negative decimal amount (expected e.g. "0.001" or 1)`,
    )
  }
  const [whole = '0', fraction = ''] = decimal.split('.')
  if (fraction.length > decimals) {
    const hasWhole = whole !== '0' || /[1-9]/.test(fraction.slice(0, decimals))
    throw new X402Error(
      'invalid_amount',
      hasWhole
        ? `${describe(value)} has ${fraction.length} decimal places but the asset has only ${decimals}`
        : `${describe(value)} is smaller than the asset's smallest unit (${decimals} decimals) and would round to zero`,
    )
  }
  return BigInt(whole + fraction.padEnd(decimals, '0'))
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
