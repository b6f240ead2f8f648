import { type BudgetStore, nextBudgetTotal, X402Error } from '@open402/core'
import type { Storage } from '../storage.js'

/** Options of {@link createStorageBudgetStore}. */
export interface StorageBudgetStoreOptions {
  /** The key-value namespace the budgets live in; `'client-budgets'` by default. */
  namespace?: string
}

/** Keys written by this store object, remembered to sweep expired windows once per new key. */
const SWEEP_MEMORY = 1024
/** Rounds of read-then-compare-and-set before `add` gives up under extreme contention. */
const ADD_ROUNDS = 100

function parseSpent(key: string, value: string): bigint {
  if (!/^\d+$/.test(value)) {
    throw new X402Error(
      'invalid_amount',
      `budget entry ${JSON.stringify(key)} holds ${JSON.stringify(value)}, not a whole number`,
    )
  }
  return BigInt(value)
}

/**
 * Core's {@link BudgetStore} on the storage's key-value store, so a client's `budget(...)` survives restarts
 * and is shared live by every client on the same database: `add` reserves with an atomic compare-and-set,
 * so concurrent clients in any number of processes never spend over the budget together. Amounts are
 * stored as decimal strings; an entry expires when its window ends, and expired windows are deleted when a
 * new window is first written.
 * @example budget({ max: '$5', window: 'day', store: createStorageBudgetStore(storage) })
 */
export function createStorageBudgetStore(
  storage: Pick<Storage, 'keyValue'>,
  options: StorageBudgetStoreOptions = {},
): BudgetStore {
  const entries = storage.keyValue<string>(options.namespace ?? 'client-budgets')
  const written = new Set<string>()
  const sweep = async (key: string) => {
    if (written.has(key)) return
    if (written.size >= SWEEP_MEMORY) written.clear()
    written.add(key)
    await entries.deleteExpired()
  }
  return {
    async get(key) {
      const entry = await entries.get(key)
      return entry && parseSpent(key, entry.value)
    },
    async set(key, spent, expiresAt) {
      if (spent < 0n)
        throw new X402Error('invalid_amount', `budget ${JSON.stringify(key)} cannot be negative`)
      await entries.put(key, spent.toString(), expiresAt === undefined ? {} : { expiresAt })
      await sweep(key)
    },
    async add(key, amount, limit, expiresAt) {
      for (let round = 0; round < ADD_ROUNDS; round++) {
        const entry = await entries.get(key)
        const spent = entry ? parseSpent(key, entry.value) : 0n
        const total = nextBudgetTotal(spent, amount, limit)
        if (total === undefined) return { added: false, spent }
        const options = expiresAt === undefined ? {} : { expiresAt }
        if (await entries.compareAndSet(key, entry?.value, total.toString(), options)) {
          await sweep(key)
          return { added: true, spent: total }
        }
      }
      throw new X402Error(
        'payment_refused_by_policy',
        `budget ${JSON.stringify(key)}: ${ADD_ROUNDS} concurrent writers in a row won the update; try again`,
      )
    },
  }
}
