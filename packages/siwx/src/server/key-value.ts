/** Write options of a {@link SiwxKeyValue}: expiry relative to now, or absolute (epoch ms). */
export interface SiwxPutOptions {
  ttlMs?: number
  expiresAt?: number
}

/**
 * The part of `@open402/storage`'s `KeyValueStore` sign-in-with-x uses (structurally the same, so a
 * storage is passed as is): atomic `putIfAbsent` for nonces, `compareAndSet` for counted uses.
 */
export interface SiwxKeyValue<TValue> {
  get(key: string): Promise<{ value: TValue; expiresAt: number | null } | undefined>
  put(key: string, value: TValue, options?: SiwxPutOptions): Promise<unknown>
  putIfAbsent(key: string, value: TValue, options?: SiwxPutOptions): Promise<{ stored: boolean }>
  compareAndSet(
    key: string,
    expected: TValue | undefined,
    value: TValue,
    options?: SiwxPutOptions,
  ): Promise<boolean>
}

/** Where nonces and entitlements live: `openStorage(...)` of `@open402/storage`, or {@link createMemorySiwxStorage}. */
export interface SiwxStorage {
  keyValue<TValue>(namespace: string): SiwxKeyValue<TValue>
}

/** Entries kept before a write sweeps the expired ones out. */
const SWEEP_AT = 10_000

/**
 * Nonces and entitlements in this process's memory: for one instance and tests. Several instances need a
 * shared storage (`openStorage({ url: 'postgres://…' })` of `@open402/storage`).
 * @example siwx({ origin, grant: { ttlMs: 86_400_000 }, verifiers, storage: createMemorySiwxStorage() })
 */
export function createMemorySiwxStorage(now: () => number = Date.now): SiwxStorage {
  const namespaces = new Map<string, Map<string, { json: string; expiresAt: number | null }>>()
  return {
    keyValue<TValue>(namespace: string): SiwxKeyValue<TValue> {
      let entries = namespaces.get(namespace)
      if (!entries) {
        entries = new Map()
        namespaces.set(namespace, entries)
      }
      const map = entries
      const live = (key: string) => {
        const entry = map.get(key)
        if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
          map.delete(key)
          return undefined
        }
        return entry
      }
      const write = (key: string, value: TValue, options: SiwxPutOptions = {}) => {
        if (map.size >= SWEEP_AT) for (const name of [...map.keys()]) live(name)
        const expiresAt = options.expiresAt ?? (options.ttlMs === undefined ? null : now() + options.ttlMs)
        map.set(key, { json: JSON.stringify(value), expiresAt })
      }
      return {
        async get(key) {
          const entry = live(key)
          return entry && { value: JSON.parse(entry.json) as TValue, expiresAt: entry.expiresAt }
        },
        async put(key, value, options) {
          write(key, value, options)
        },
        async putIfAbsent(key, value, options) {
          if (live(key)) return { stored: false }
          write(key, value, options)
          return { stored: true }
        },
        async compareAndSet(key, expected, value, options) {
          const entry = live(key)
          const matches = expected === undefined ? !entry : entry?.json === JSON.stringify(expected)
          if (!matches) return false
          write(key, value, options)
          return true
        },
      }
    },
  }
}
