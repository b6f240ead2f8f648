export * from './client/index.js'
export * from './ledger/ledger-account.js'
export * from './shared/__NAME__-payload.js'
