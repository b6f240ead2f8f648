import type { PaymentRequirements } from '../schemas/payment-required.js'

/**
 * The offer among `offers` that the client's `accepted` echoes: same scheme, network, amount, asset,
 * payTo, maxTimeoutSeconds and a deep-equal `extra` (absent = `{}`). Null or malformed `accepted` matches
 * nothing and never throws (x402f#3171).
 */
export function findMatchingOffer(
  accepted: unknown,
  offers: readonly PaymentRequirements[],
): PaymentRequirements | undefined {
  if (accepted === null || typeof accepted !== 'object') return undefined
  const candidate = accepted as Partial<PaymentRequirements>
  return offers.find(
    (offer) =>
      offer.scheme === candidate.scheme &&
      offer.network === candidate.network &&
      offer.amount === candidate.amount &&
      offer.asset === candidate.asset &&
      offer.payTo === candidate.payTo &&
      offer.maxTimeoutSeconds === candidate.maxTimeoutSeconds &&
      deepEqual(offer.extra ?? {}, candidate.extra ?? {}),
  )
}

/** Structural equality of JSON values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]))
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left).filter((key) => left[key] !== undefined)
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false
  return keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]))
}
