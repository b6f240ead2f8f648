import { expect, test } from 'vitest'
import * as storage from './index.js'

test('@open402/storage exports openStorage, the config resolver, the ledger guard, ledger helpers and the budget store', () => {
  expect(Object.keys(storage).sort()).toEqual([
    'SETTLEMENT_STATES',
    'createLedgerSettlementGuard',
    'createStorageBudgetStore',
    'createStorageSettlementLedger',
    'openStorage',
    'resolveStorageConfig',
    'settlementDetailsOf',
  ])
})
