import { X402Error } from '../errors/x402-error.js'

/**
 * Formats an amount in atomic units as a decimal string in whole units, for display.
 * @example formatAtomicUnits(1000n, 6) // "0.001"
 */
export function formatAtomicUnits(amount: bigint | string, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw new X402Error(
      'invalid_amount',
      `decimals must be an integer between 0 and 255, got ${String(decimals)}`,
    )
  }
  if (typeof amount === 'string' && !/^(0|[1-9]\d*)$/.test(amount)) {
    throw new X402Error('invalid_amount', `${JSON.stringify(amount)} is not an amount in atomic units`)
  }
  const value = BigInt(amount)
  if (value < 0n) throw new X402Error('invalid_amount', `${value} is negative`)
  const digits = value.toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return fraction === '' ? whole : `${whole}.${fraction}`
}
