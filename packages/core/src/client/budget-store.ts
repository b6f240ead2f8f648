/** The outcome of {@link BudgetStore.add}: the total under the key afterwards, and whether `amount` was added. */
export interface BudgetAddResult {
  added: boolean
  spent: bigint
}

/**
 * Where a {@link budget} keeps what was spent. Keys name one budget, one host (or `*`) and one time window;
 * values are amounts in 10^-18 dollars.
 *
 * A store with only `get` and `set` is read once per key and written by this process alone: the budget
 * caches values in memory and serializes its writes. A store that also has `add` is *live*: the budget
 * reserves through `add` before every payment, so several clients (processes, machines) sharing the store
 * share one budget and together never spend over it.
 */
export interface BudgetStore {
  /** What was spent under `key`, or `undefined` if nothing was recorded (or the entry expired). */
  get(key: string): bigint | undefined | Promise<bigint | undefined>
  /** Records the total spent under `key`; `expiresAt` (epoch ms) is when its window ends, if it has one. */
  set(key: string, spent: bigint, expiresAt?: number): void | Promise<void>
  /**
   * Atomically adds `amount` (negative to give back; the total never drops below 0) unless the new total
   * would exceed `limit`, in which case nothing changes and `added` is false.
   */
  add?(
    key: string,
    amount: bigint,
    limit?: bigint,
    expiresAt?: number,
  ): BudgetAddResult | Promise<BudgetAddResult>
}

/** A live {@link BudgetStore} in memory, shared by the clients given it; budgets start over when the process restarts. */
export function createMemoryBudgetStore(now: () => number = Date.now): BudgetStore {
  const entries = new Map<string, { spent: bigint; expiresAt?: number }>()
  const read = (key: string): bigint | undefined => {
    const entry = entries.get(key)
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry?.spent
  }
  const write = (key: string, spent: bigint, expiresAt: number | undefined) => {
    entries.set(key, expiresAt === undefined ? { spent } : { spent, expiresAt })
  }
  return {
    get: read,
    set: write,
    add(key, amount, limit, expiresAt) {
      const spent = read(key) ?? 0n
      const total = nextBudgetTotal(spent, amount, limit)
      if (total === undefined) return { added: false, spent }
      write(key, total, expiresAt)
      return { added: true, spent: total }
    },
  }
}

/**
 * The arithmetic of {@link BudgetStore.add}, for stores to share: `spent + amount`, never below 0, or
 * `undefined` when a positive `amount` would take the total over `limit`.
 */
export function nextBudgetTotal(
  spent: bigint,
  amount: bigint,
  limit: bigint | undefined,
): bigint | undefined {
  const total = spent + amount
  if (amount > 0n && limit !== undefined && total > limit) return undefined
  return total < 0n ? 0n : total
}
