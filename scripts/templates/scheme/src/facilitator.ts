export * from './facilitator/index.js'
export * from './ledger/index.js'
