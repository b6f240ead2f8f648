import { X402Error } from '@open402/core'
import type { SiwxKeyValue, SiwxPutOptions, SiwxStorage } from './key-value.js'

/**
 * What one payment buys a wallet: access for `ttlMs` milliseconds, or for `uses` requests, or `uses`
 * requests within `ttlMs`. The paid request itself is not counted. Paying again adds the uses and restarts
 * the period.
 */
export interface SiwxGrant {
  ttlMs?: number
  uses?: number
}

/** A stored entitlement: the uses left, or no count when the grant is a period only. */
interface EntitlementValue {
  uses?: number
}

/** Whose entitlement: the route (or custom scope), the CAIP-2 chain paid on and the normalised payer address. */
export interface EntitlementKey {
  scope: string
  chainId: string
  address: string
}

/** The entitlements of wallets that paid, on a key-value namespace shared by every instance. */
export interface EntitlementStore {
  /** Records a payment: grants (or extends) `grant` to the wallet. */
  grant(key: EntitlementKey, grant: SiwxGrant): Promise<void>
  /** Lets one request in: true if entitled, taking one use when uses are counted (atomically). */
  consume(key: EntitlementKey): Promise<boolean>
  /** The entitlement as stored: `uses` left (undefined: a period only), `expiresAt` (null: never); undefined if none. */
  get(key: EntitlementKey): Promise<{ uses: number | undefined; expiresAt: number | null } | undefined>
}

/** Rounds of read-then-compare-and-set before giving up under extreme contention. */
const ROUNDS = 100

/** Throws `invalid_config` unless `grant` is a positive period, a positive whole number of uses, or both. */
export function assertGrant(grant: SiwxGrant | undefined, where: string): void {
  const { ttlMs, uses } = grant ?? {}
  const badTtl = ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0)
  const badUses = uses !== undefined && !(Number.isSafeInteger(uses) && uses > 0)
  if (badTtl || badUses || (ttlMs === undefined && uses === undefined)) {
    throw new X402Error(
      'invalid_config',
      `${where}: grant must be { ttlMs } and/or { uses }, positive whole numbers; got ${JSON.stringify(grant)}`,
    )
  }
}

/** The entitlement store on `storage.keyValue(namespace)`. */
export function createEntitlementStore(storage: SiwxStorage, namespace: string): EntitlementStore {
  const entries: SiwxKeyValue<EntitlementValue> = storage.keyValue<EntitlementValue>(namespace)
  const keyOf = ({ scope, chainId, address }: EntitlementKey) => JSON.stringify([chainId, address, scope])
  const busy = (key: string) =>
    new X402Error('payment_failed', `entitlement ${key}: ${ROUNDS} concurrent writers in a row; try again`)

  return {
    async grant(key, grant) {
      const name = keyOf(key)
      const options: SiwxPutOptions = grant.ttlMs === undefined ? {} : { ttlMs: grant.ttlMs }
      if (grant.uses === undefined) {
        await entries.put(name, {}, options)
        return
      }
      for (let round = 0; round < ROUNDS; round++) {
        const entry = await entries.get(name)
        // A period-only entitlement (no count) written before a config change counts as no uses left.
        const left = entry?.value.uses ?? 0
        const written = await entries.compareAndSet(name, entry?.value, { uses: left + grant.uses }, options)
        if (written) return
      }
      throw busy(name)
    },
    async consume(key) {
      const name = keyOf(key)
      for (let round = 0; round < ROUNDS; round++) {
        const entry = await entries.get(name)
        if (!entry) return false
        const { uses } = entry.value
        if (uses === undefined) return true
        if (uses <= 0) return false
        const options: SiwxPutOptions = entry.expiresAt === null ? {} : { expiresAt: entry.expiresAt }
        if (await entries.compareAndSet(name, entry.value, { uses: uses - 1 }, options)) return true
      }
      throw busy(name)
    },
    async get(key) {
      const entry = await entries.get(keyOf(key))
      return entry && { uses: entry.value.uses, expiresAt: entry.expiresAt }
    },
  }
}
