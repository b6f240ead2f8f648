import { parseDollars } from '../money/parse-dollars.js'
import { toAtomicUnits } from '../money/to-atomic-units.js'
import type { Caip2 } from '../networks/caip2.js'
import { matchesNetwork, type NetworkPattern } from '../networks/network-pattern.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'
import type { SchemeClient } from '../schemes/types.js'

/** What a policy knows about the request being paid. */
export interface PaymentRequestContext {
  paymentRequired: PaymentRequired
  /** The URL of the paid resource: the request's URL when the HTTP client passes it, else `resource.url`. */
  url: string
  /** The host (`api.example.com`, with `:port` if any) of `url`, or `undefined` when `url` is not absolute. */
  host: string | undefined
}

/** What a policy sees about one offer. */
export interface PolicyContext extends PaymentRequestContext {
  /** The scheme client that would pay this offer. */
  scheme: SchemeClient
}

/** A spending reservation made by a policy when an offer is chosen (see {@link budget}). */
export interface PolicyReservation {
  /** Settles when the reservation is written to the policy's store. */
  readonly persisted: Promise<void>
  /** Gives the reserved amount back. */
  release(): Promise<void>
}

/** A client spending rule: returns why an offer is refused, or undefined to allow it. */
export interface PaymentPolicy {
  readonly name: string
  check(requirements: PaymentRequirements, context: PolicyContext): string | undefined
  /** Awaited before the offers are checked, e.g. to read spent amounts from a store. */
  prepare?(context: PaymentRequestContext): Promise<void> | void
  /** Called synchronously once an offer is chosen, right after `check` allowed it, to count it as spent. */
  reserve?(requirements: PaymentRequirements, context: PolicyContext): PolicyReservation | undefined
}

/**
 * Refuses offers costing more than `price` dollars, using the asset's decimals from the scheme client
 * (or `options.decimals`); an asset of unknown decimals is refused.
 * @example maxAmount('$0.10')
 */
export function maxAmount(price: string | number, options: { decimals?: number } = {}): PaymentPolicy {
  const cap = parseDollars(price)
  const caps = new Map<number, bigint>()
  return {
    name: 'maxAmount',
    check(requirements, { scheme }) {
      const decimals = options.decimals ?? scheme.decimals?.(requirements.network, requirements.asset)
      if (decimals === undefined) {
        return `maxAmount: decimals of asset ${requirements.asset} on ${requirements.network} are unknown, so the dollar cap cannot be checked`
      }
      let limit = caps.get(decimals)
      if (limit === undefined) {
        limit = toAtomicUnits(truncate(cap, decimals), decimals)
        caps.set(decimals, limit)
      }
      return BigInt(requirements.amount) > limit
        ? `maxAmount: ${requirements.amount} atomic units exceed the cap of $${cap} (${limit} units at ${decimals} decimals)`
        : undefined
    },
  }
}

// A cap with more decimals than the asset rounds down (a cap never grows).
function truncate(decimal: string, decimals: number): string {
  const [whole = '0', fraction = ''] = decimal.split('.')
  return fraction.length > decimals ? `${whole}.${fraction.slice(0, decimals)}` : decimal
}

/** Refuses offers above `amount` atomic units. */
export function maxAtomicAmount(amount: bigint | string | number): PaymentPolicy {
  const limit = BigInt(amount)
  return {
    name: 'maxAtomicAmount',
    check: (requirements) =>
      BigInt(requirements.amount) > limit
        ? `maxAtomicAmount: ${requirements.amount} exceeds ${limit}`
        : undefined,
  }
}

/** Allows only these networks (CAIP-2 ids or `ns:*` patterns). */
export function allowNetworks(networks: (Caip2 | NetworkPattern)[]): PaymentPolicy {
  return {
    name: 'allowNetworks',
    check: (requirements) =>
      networks.some((pattern) => matchesNetwork(pattern, requirements.network))
        ? undefined
        : `allowNetworks: ${requirements.network} is not in ${networks.join(', ')}`,
  }
}

/** Allows only these assets (compared case-insensitively, as EVM addresses are). */
export function allowAssets(assets: string[]): PaymentPolicy {
  const allowed = new Set(assets.map((asset) => asset.toLowerCase()))
  return {
    name: 'allowAssets',
    check: (requirements) =>
      allowed.has(requirements.asset.toLowerCase())
        ? undefined
        : `allowAssets: asset ${requirements.asset} is not allowed`,
  }
}

/** Allows paying only these recipients (compared case-insensitively). */
export function allowPayTo(recipients: string[]): PaymentPolicy {
  const allowed = new Set(recipients.map((recipient) => recipient.toLowerCase()))
  return {
    name: 'allowPayTo',
    check: (requirements) =>
      allowed.has(requirements.payTo.toLowerCase())
        ? undefined
        : `allowPayTo: recipient ${requirements.payTo} is not allowed`,
  }
}
