/**
 * Where a {@link budget} keeps what was spent. Keys name one budget, one host (or `*`) and one time window;
 * values are amounts in 10^-18 dollars. The budget caches values in memory and serializes its writes, so
 * a store needs no atomic increment: a key-value store with `get` and `put` is enough.
 */
export interface BudgetStore {
  /** What was spent under `key`, or `undefined` if nothing was recorded (or the entry expired). */
  get(key: string): bigint | undefined | Promise<bigint | undefined>
  /** Records the total spent under `key`; `expiresAt` (epoch ms) is when its window ends, if it has one. */
  set(key: string, spent: bigint, expiresAt?: number): void | Promise<void>
}

/** A {@link BudgetStore} in memory: budgets start over when the process restarts. */
export function createMemoryBudgetStore(now: () => number = Date.now): BudgetStore {
  const entries = new Map<string, { spent: bigint; expiresAt?: number }>()
  return {
    get(key) {
      const entry = entries.get(key)
      if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
        entries.delete(key)
        return undefined
      }
      return entry?.spent
    },
    set(key, spent, expiresAt) {
      entries.set(key, expiresAt === undefined ? { spent } : { spent, expiresAt })
    },
  }
}
