import { X402Error } from '../errors/x402-error.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'

/**
 * The response header a handler sets to settle less than the authorized maximum (schemes such as `upto`):
 * JSON `{ "amount": … }`, read and removed by the payment handler before the response is sent. The name is
 * the one the official packages use.
 */
export const SETTLEMENT_OVERRIDES_HEADER = 'Settlement-Overrides'

/** What a handler may override at settlement. */
export interface SettlementOverrides {
  /**
   * The amount actually charged: atomic units (`"1500"`), a share of the authorized maximum (`"50%"`, up to
   * two decimals, rounded down) or dollars (`"$0.002"`, for an asset whose price the scheme converts). At most
   * the maximum; `"0"` charges nothing.
   */
  amount: string
}

/**
 * The value of {@link SETTLEMENT_OVERRIDES_HEADER} for `overrides`.
 * @example c.header(SETTLEMENT_OVERRIDES_HEADER, encodeSettlementOverrides({ amount: `${tokens * 10}` }))
 */
export function encodeSettlementOverrides(overrides: SettlementOverrides): string {
  return JSON.stringify({ amount: String(overrides.amount) })
}

const ATOMIC = /^(0|[1-9][0-9]*)$/
const SHARE = /^(100(?:\.0{1,2})?|[0-9]{1,2}(?:\.[0-9]{1,2})?)%$/
const DOLLARS = /^\$[0-9]+(\.[0-9]+)?$/

/**
 * The atomic amount to settle for `override` against `requirements` (whose `amount` is the maximum).
 * `dollars` converts a `$` price into `requirements`' asset (the scheme's own pricing), or returns undefined
 * when it cannot. Throws `X402Error('invalid_amount')` for anything else or above the maximum.
 */
export function resolveSettlementAmount(
  override: unknown,
  requirements: PaymentRequirements,
  dollars: (price: string) => string | undefined,
): string {
  const max = BigInt(requirements.amount)
  const amount = typeof override === 'number' && Number.isSafeInteger(override) ? String(override) : override
  if (typeof amount !== 'string') {
    throw new X402Error(
      'invalid_amount',
      `the settlement amount must be a string, got ${JSON.stringify(amount)}`,
    )
  }
  let atomic: bigint
  const share = SHARE.exec(amount)
  if (ATOMIC.test(amount)) {
    atomic = BigInt(amount)
  } else if (share) {
    const [whole = '0', fraction = ''] = (share[1] as string).split('.')
    atomic = (max * (BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0')))) / 10_000n
  } else if (DOLLARS.test(amount)) {
    const converted = dollars(amount)
    if (converted === undefined) {
      throw new X402Error(
        'invalid_amount',
        `the settlement amount ${amount} cannot be converted to ${requirements.asset} on ${requirements.network}; give atomic units`,
      )
    }
    atomic = BigInt(converted)
  } else {
    throw new X402Error(
      'invalid_amount',
      `the settlement amount ${JSON.stringify(amount)} is not atomic units ("1500"), a share ("50%") or dollars ("$0.01")`,
    )
  }
  if (atomic > max) {
    throw new X402Error(
      'invalid_amount',
      `the settlement amount ${amount} (${atomic} atomic units) exceeds the authorized maximum of ${max}`,
    )
  }
  return atomic.toString()
}

/** The `amount` of a {@link SETTLEMENT_OVERRIDES_HEADER} value; throws `X402Error('invalid_amount')` if malformed. */
export function decodeSettlementOverrides(value: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    throw new X402Error(
      'invalid_amount',
      `${SETTLEMENT_OVERRIDES_HEADER} is not JSON: ${JSON.stringify(value)}`,
    )
  }
  if (parsed === null || typeof parsed !== 'object' || !('amount' in parsed)) {
    throw new X402Error('invalid_amount', `${SETTLEMENT_OVERRIDES_HEADER} must be JSON { "amount": … }`)
  }
  return (parsed as { amount: unknown }).amount
}

/** `response` without `name` (in place when its headers are mutable, else a copy). */
export function withoutHeader(response: Response, name: string): Response {
  if (!response.headers.has(name)) return response
  try {
    response.headers.delete(name)
    return response
  } catch {
    const headers = new Headers(response.headers)
    headers.delete(name)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}
