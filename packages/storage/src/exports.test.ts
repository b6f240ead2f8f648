import { expect, test } from 'vitest'
import * as storage from './index.js'

test('@open402/storage exports openStorage, the config resolver, the ledger guard, ledger helpers and the budget store', () => {
  expect(Object.keys(storage).sort()).toEqual([
    'DEFAULT_BUDGET_STORE_URL',
    'SETTLEMENT_STATES',
    'createLedgerSettlementGuard',
    'createStorageBudgetStore',
    'createStorageSettlementLedger',
    'openBudgetStore',
    'openStorage',
    'resolveStorageConfig',
    'settlementDetailsOf',
  ])
})
