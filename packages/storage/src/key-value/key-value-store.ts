/** Options of a write to a {@link KeyValueStore}. */
export interface PutOptions {
  /** The entry expires this many milliseconds after the write; without it the entry never expires. */
  ttlMs?: number
  /** The entry expires at this time (epoch ms); give this or `ttlMs`, not both. */
  expiresAt?: number
}

/** A stored entry with its metadata (times in epoch milliseconds). */
export interface KeyValueEntry<TValue> {
  key: string
  value: TValue
  expiresAt: number | null
  createdAt: number
  updatedAt: number
}

/** The outcome of {@link KeyValueStore.putIfAbsent}. */
export type PutIfAbsentResult<TValue> =
  | { stored: true; entry: KeyValueEntry<TValue> }
  | { stored: false; existing: KeyValueEntry<TValue> }

/**
 * A namespace of JSON values by key with optional expiry, shared by every instance on the same database:
 * idempotency keys (`putIfAbsent` is atomic, so one of many concurrent writers wins), entitlements, caches.
 * Expired entries read as absent; `deleteExpired` removes them for good.
 */
export interface KeyValueStore<TValue = unknown> {
  readonly namespace: string
  get(key: string): Promise<KeyValueEntry<TValue> | undefined>
  /** Writes the value, replacing any entry. */
  put(key: string, value: TValue, options?: PutOptions): Promise<KeyValueEntry<TValue>>
  /** Writes the value only if the key is absent or expired; otherwise returns the live entry. */
  putIfAbsent(key: string, value: TValue, options?: PutOptions): Promise<PutIfAbsentResult<TValue>>
  /**
   * Writes `value` only if the live entry still holds `expected` (compared as stored JSON), or, when
   * `expected` is `undefined`, only if the key is absent or expired. Of many concurrent writers that read
   * the same value, exactly one succeeds; the others re-read and try again (optimistic concurrency).
   * `options` set the expiry of the written entry. True if written.
   */
  compareAndSet(
    key: string,
    expected: TValue | undefined,
    value: TValue,
    options?: PutOptions,
  ): Promise<boolean>
  /** True if an entry (live or expired) was removed. */
  delete(key: string): Promise<boolean>
  /** Removes this namespace's expired entries; returns how many. */
  deleteExpired(): Promise<number>
}
