import { expect, test } from 'vitest'
import * as storage from './index.js'

test('@open402/storage exports openStorage, the config resolver, the ledger guard, ledger helpers, the budget store and the idempotency store', () => {
  expect(Object.keys(storage).sort()).toEqual([
    'DEFAULT_BUDGET_STORE_URL',
    'DEFAULT_IDEMPOTENCY_NAMESPACE',
    'SETTLEMENT_STATES',
    'createLedgerSettlementGuard',
    'createStorageBudgetStore',
    'createStorageIdempotencyStore',
    'createStorageSettlementLedger',
    'openBudgetStore',
    'openStorage',
    'resolveStorageConfig',
    'settlementDetailsOf',
  ])
})
