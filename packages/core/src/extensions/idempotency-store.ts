/** Expiry of a write to an {@link IdempotencyStore}. */
export interface IdempotencyWriteOptions {
  /** The entry reads as absent this many milliseconds after the write. */
  ttlMs: number
}

/**
 * Where payment identifiers are remembered, by the resource server (`createHttpPaymentHandler`'s
 * `idempotency`) and the facilitator (`createFacilitator`'s `idempotency`). Values are JSON. Every method
 * may reject when the store is unreachable; callers then fail closed. Any key-value store with these four
 * methods fits: `createMemoryIdempotencyStore()` for one process, `createStorageIdempotencyStore(storage)`
 * of `@open402/storage` (SQLite, or PostgreSQL shared by many instances).
 */
export interface IdempotencyStore {
  /** The live (unexpired) entry. */
  get(key: string): Promise<{ value: unknown } | undefined>
  /** Atomic: writes only if the key is absent or expired; of concurrent writers exactly one stores. */
  putIfAbsent(
    key: string,
    value: unknown,
    options: IdempotencyWriteOptions,
  ): Promise<{ stored: true } | { stored: false; existing: { value: unknown } }>
  /** Atomic: writes only if the live entry still equals `expected` (compared as JSON). True if written. */
  compareAndSet(
    key: string,
    expected: unknown,
    value: unknown,
    options: IdempotencyWriteOptions,
  ): Promise<boolean>
  /** Removes the entry; true if there was one. */
  delete(key: string): Promise<boolean>
}

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** The clock (epoch ms), for tests; default `Date.now`. */
  now?: () => number
}

const SWEEP_EVERY = 256

/**
 * An {@link IdempotencyStore} in this process's memory: fine for one instance and tests; instances behind
 * a load balancer need a shared store (`createStorageIdempotencyStore` of `@open402/storage`). Values are
 * kept as JSON text, so a caller never shares objects with the store; expired entries are swept as new
 * ones are written.
 * @example createHttpPaymentHandler(server, { routes, idempotency: { store: createMemoryIdempotencyStore() } })
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const now = options.now ?? Date.now
  const entries = new Map<string, { json: string; expiresAt: number }>()
  let writes = 0

  const live = (key: string) => {
    const entry = entries.get(key)
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }
  const write = (key: string, value: unknown, ttlMs: number) => {
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs ${ttlMs} must be positive`)
    const json = JSON.stringify(value)
    if (json === undefined) throw new TypeError('idempotency store values must be JSON values')
    entries.set(key, { json, expiresAt: now() + ttlMs })
    if (++writes % SWEEP_EVERY === 0) {
      const time = now()
      for (const [name, entry] of entries) if (entry.expiresAt <= time) entries.delete(name)
    }
  }

  return {
    async get(key) {
      const entry = live(key)
      return entry && { value: JSON.parse(entry.json) as unknown }
    },
    async putIfAbsent(key, value, { ttlMs }) {
      const entry = live(key)
      if (entry) return { stored: false, existing: { value: JSON.parse(entry.json) as unknown } }
      write(key, value, ttlMs)
      return { stored: true }
    },
    async compareAndSet(key, expected, value, { ttlMs }) {
      const entry = live(key)
      if (!entry || entry.json !== JSON.stringify(expected)) return false
      write(key, value, ttlMs)
      return true
    },
    async delete(key) {
      return entries.delete(key)
    },
  }
}
