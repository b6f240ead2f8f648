import type { BudgetStore } from '@open402/core'
import { openStorage } from '../open-storage.js'
import type { Storage } from '../storage.js'
import { createStorageBudgetStore } from './storage-budget-store.js'

/** Where {@link openBudgetStore} keeps budgets when given no URL: a SQLite file in the working directory. */
export const DEFAULT_BUDGET_STORE_URL = 'sqlite:./open402-budgets.db'

/** Options of {@link openBudgetStore}. */
export interface OpenBudgetStoreOptions {
  /** `sqlite:<file>` or `postgres://…`; {@link DEFAULT_BUDGET_STORE_URL} by default. */
  url?: string
  /** The key-value namespace of the budgets; `'client-budgets'` by default. */
  namespace?: string
  /** Clock in epoch ms (for tests). */
  now?: () => number
}

/** A budget store that owns its database handle. */
export interface OpenedBudgetStore extends BudgetStore {
  readonly storage: Storage
  /** Closes the database handle. */
  close(): Promise<void>
}

/**
 * Opens (and migrates) a database for client budgets and returns a live {@link BudgetStore} on it: a SQLite
 * file by default, so an agent's spending survives restarts with no setup; PostgreSQL when clients on
 * several machines share one budget.
 * @example
 * const store = await openBudgetStore() // sqlite:./open402-budgets.db
 * const client = createPaymentClient({ schemes, policies: [budget({ max: '$5', window: 'day', store })] })
 */
export async function openBudgetStore(options: OpenBudgetStoreOptions = {}): Promise<OpenedBudgetStore> {
  const storage = openStorage(
    { url: options.url ?? DEFAULT_BUDGET_STORE_URL },
    options.now ? { now: options.now } : {},
  )
  try {
    await storage.migrate()
  } catch (error) {
    await storage.close().catch(() => {})
    throw error
  }
  const store = createStorageBudgetStore(
    storage,
    options.namespace === undefined ? {} : { namespace: options.namespace },
  )
  return { ...store, storage, close: () => storage.close() }
}
