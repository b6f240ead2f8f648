export * from './server/index.js'
export * from './shared/ledger-assets.js'
