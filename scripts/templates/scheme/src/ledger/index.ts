export * from './ledger.js'
export * from './ledger-account.js'
