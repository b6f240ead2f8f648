import { X402Error } from '../errors/x402-error.js'
import { formatAtomicUnits } from '../money/format-atomic-units.js'
import { parseDollars } from '../money/parse-dollars.js'
import { toAtomicUnits } from '../money/to-atomic-units.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { type BudgetStore, createMemoryBudgetStore } from './budget-store.js'
import type { PaymentPolicy, PaymentRequestContext, PolicyContext, PolicyReservation } from './policies.js'

/** Budget amounts are kept in 10^-18 dollars, so assets of any decimals up to 18 add up exactly. */
const SCALE = 18

const WINDOWS = { hour: 3_600_000, day: 86_400_000 } as const

/** Options of {@link budget}. */
export interface BudgetOptions {
  /** The most to spend, in dollars (`'$1.00'`), converted with the asset's decimals as `maxAmount` does. */
  max: string | number
  /** One budget per host of the paid URL, or one for all hosts (the default). */
  per?: 'host' | 'total'
  /** Fixed windows aligned to the epoch (UTC hours, UTC days, or `ms` long); without one the budget never resets. */
  window?: 'hour' | 'day' | { ms: number }
  /** Where spent amounts are kept; in memory by default. Give a persistent one to survive restarts. */
  store?: BudgetStore
  /** Names this budget in store keys, to tell several budgets apart in one store; `'budget'` by default. */
  id?: string
  /** Decimals of assets the scheme client does not know. */
  decimals?: number
  /** The clock, in epoch ms (for tests). */
  now?: () => number
}

/**
 * Refuses an offer that would take spending over `max` dollars in the current window (per host or in
 * total). The amount is reserved synchronously when the payment is created, so concurrent payments cannot
 * overspend, and stays spent even if the settlement later fails, unless the caller gives it back with
 * `client.release(payment)`.
 * @example budget({ max: '$1.00', per: 'host', window: 'day' })
 */
export function budget(options: BudgetOptions): PaymentPolicy {
  const max = toAtomicUnits(parseDollars(options.max), SCALE)
  const per = options.per ?? 'total'
  const windowMs = typeof options.window === 'string' ? WINDOWS[options.window] : options.window?.ms
  if (windowMs !== undefined && !(Number.isSafeInteger(windowMs) && windowMs > 0)) {
    throw new X402Error(
      'invalid_config',
      `budget window must be a positive whole number of ms, got ${windowMs}`,
    )
  }
  const now = options.now ?? Date.now
  const store = options.store ?? createMemoryBudgetStore(now)
  const id = options.id ?? 'budget'
  const windowLabel =
    typeof options.window === 'string' ? `/${options.window}` : windowMs === undefined ? '' : `/${windowMs}ms`
  const maxLabel = dollars(max)
  // Spent per store key, as known to this process: authoritative once loaded for a store without `add`;
  // for a live store (with `add`), a recent reading that words early refusals, while `add` decides.
  const live = store.add !== undefined
  const cache = new Map<string, bigint>()
  const writes = new Map<string, Promise<void>>()

  const scope = (context: PaymentRequestContext): string | undefined => (per === 'total' ? '*' : context.host)
  const window = (): { start: number; end?: number } => {
    if (windowMs === undefined) return { start: 0 }
    const start = Math.floor(now() / windowMs) * windowMs
    return { start, end: start + windowMs }
  }
  const keyOf = (who: string) => `${id}:${who}:${window().start}`
  const label = (context: PaymentRequestContext) =>
    `budget(${per === 'total' ? 'total' : `per host ${context.host ?? '?'}`}, ${maxLabel}${windowLabel})`

  function cost(requirements: PaymentRequirements, context: PolicyContext): bigint | string {
    const decimals = options.decimals ?? context.scheme.decimals?.(requirements.network, requirements.asset)
    if (decimals === undefined) {
      return `decimals of asset ${requirements.asset} on ${requirements.network} are unknown, so the budget cannot be checked`
    }
    const amount = BigInt(requirements.amount)
    if (decimals <= SCALE) return amount * 10n ** BigInt(SCALE - decimals)
    const divisor = 10n ** BigInt(decimals - SCALE)
    return (amount + divisor - 1n) / divisor // round up: a budget never undercounts
  }

  function persist(key: string, end: number | undefined): Promise<void> {
    const previous = writes.get(key) ?? Promise.resolve()
    const next = previous.then(() => store.set(key, cache.get(key) ?? 0n, end))
    writes.set(key, next)
    return next.finally(() => {
      if (writes.get(key) === next) writes.delete(key)
    })
  }

  return {
    name: 'budget',
    async prepare(context) {
      const who = scope(context)
      if (who === undefined) return
      const key = keyOf(who)
      if (cache.has(key) && !live) return
      const stored = await store.get(key)
      if (live || !cache.has(key)) cache.set(key, stored ?? 0n)
    },
    check(requirements, context) {
      const who = scope(context)
      if (who === undefined) {
        return `${label(context)}: the host of ${JSON.stringify(context.url)} is unknown`
      }
      const price = cost(requirements, context)
      if (typeof price === 'string') return `${label(context)}: ${price}`
      const spent = cache.get(keyOf(who)) ?? 0n
      return spent + price > max
        ? `${label(context)}: would spend ${dollars(spent + price)} (spent ${dollars(spent)})`
        : undefined
    },
    reserve(requirements, context) {
      const who = scope(context)
      const price = cost(requirements, context)
      if (who === undefined || typeof price === 'string') return undefined
      const { start, end } = window()
      const key = `${id}:${who}:${start}`
      for (const old of cache.keys()) {
        if (old.startsWith(`${id}:${who}:`) && old !== key) cache.delete(old)
      }
      cache.set(key, (cache.get(key) ?? 0n) + price)
      if (live) return reserveLive(key, price, end, context)
      let released = false
      return {
        persisted: persist(key, end),
        release() {
          if (released) return Promise.resolve()
          released = true
          const spent = (cache.get(key) ?? price) - price
          cache.set(key, spent < 0n ? 0n : spent)
          return persist(key, end)
        },
      }
    },
  }

  /** Reserves through the store's atomic `add`, which refuses if other clients spent the budget meanwhile. */
  function reserveLive(
    key: string,
    price: bigint,
    end: number | undefined,
    context: PaymentRequestContext,
  ): PolicyReservation {
    const add = (amount: bigint, limit?: bigint) =>
      Promise.resolve((store.add as NonNullable<BudgetStore['add']>)(key, amount, limit, end))
    const reserved = add(price, max).then(({ added, spent }) => {
      cache.set(key, spent)
      if (!added) {
        throw new X402Error(
          'payment_refused_by_policy',
          `no acceptable payment option: ${label(context)}: would spend ${dollars(spent + price)} (spent ${dollars(spent)}, counting every client sharing this budget's store)`,
        )
      }
    })
    let released: Promise<void> | undefined
    return {
      persisted: reserved,
      release() {
        released ??= reserved.then(
          () => add(-price).then(({ spent }) => void cache.set(key, spent)),
          () => {}, // never added: nothing to give back
        )
        return released
      },
    }
  }
}

/** `$1.02`, `$0.001`: at least two decimals. */
function dollars(scaled: bigint): string {
  const [whole, fraction = ''] = formatAtomicUnits(scaled, SCALE).split('.')
  return `$${whole}.${fraction.padEnd(2, '0')}`
}
