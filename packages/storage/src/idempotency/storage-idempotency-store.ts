import type { IdempotencyStore } from '@open402/core'
import type { Storage } from '../storage.js'

/** Options of {@link createStorageIdempotencyStore}. */
export interface StorageIdempotencyStoreOptions {
  /** The key-value namespace the identifiers live in; `'payment-identifiers'` by default. */
  namespace?: string
  /** Expired entries are deleted once every this many writes (default 500); they read as absent anyway. */
  sweepEvery?: number
}

/** The namespace of {@link createStorageIdempotencyStore} when none is given. */
export const DEFAULT_IDEMPOTENCY_NAMESPACE = 'payment-identifiers'

/**
 * Core's {@link IdempotencyStore} on the storage's key-value store, for payment identifiers (README
 * "Payment identifiers"): `putIfAbsent` and `compareAndSet` are single atomic statements, so on PostgreSQL
 * every resource server or facilitator instance sharing the database deduplicates the same identifier.
 * Expired identifiers read as absent and are swept now and then.
 * @example createHttpPaymentHandler(server, { routes, idempotency: { store: createStorageIdempotencyStore(storage) } })
 */
export function createStorageIdempotencyStore(
  storage: Pick<Storage, 'keyValue'>,
  options: StorageIdempotencyStoreOptions = {},
): IdempotencyStore {
  const entries = storage.keyValue(options.namespace ?? DEFAULT_IDEMPOTENCY_NAMESPACE)
  const sweepEvery = options.sweepEvery ?? 500
  let writes = 0
  const wrote = async () => {
    if (++writes % sweepEvery === 0) await entries.deleteExpired().catch(() => 0)
  }
  return {
    async get(key) {
      const entry = await entries.get(key)
      return entry && { value: entry.value }
    },
    async putIfAbsent(key, value, { ttlMs }) {
      const result = await entries.putIfAbsent(key, value, { ttlMs })
      await wrote()
      return result.stored ? { stored: true } : { stored: false, existing: { value: result.existing.value } }
    },
    async compareAndSet(key, expected, value, { ttlMs }) {
      const written = await entries.compareAndSet(key, expected, value, { ttlMs })
      if (written) await wrote()
      return written
    },
    delete: (key) => entries.delete(key),
  }
}
