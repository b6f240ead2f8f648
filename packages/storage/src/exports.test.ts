import { expect, test } from 'vitest'
import * as storage from './index.js'

test('@open402/storage exports openStorage, the config resolver, the ledger guard and ledger helpers', () => {
  expect(Object.keys(storage).sort()).toEqual([
    'SETTLEMENT_STATES',
    'createLedgerSettlementGuard',
    'createStorageSettlementLedger',
    'openStorage',
    'resolveStorageConfig',
    'settlementDetailsOf',
  ])
})
