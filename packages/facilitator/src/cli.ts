#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { createStorageIdempotencyStore, createStorageSettlementLedger, openStorage } from '@open402/storage'
import { mainFacilitatorCli } from './run-facilitator-cli.js'

mainFacilitatorCli({
  argv: process.argv.slice(2),
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
  openStorage: (url) => {
    const storage = openStorage({ url })
    return {
      storage,
      ledger: createStorageSettlementLedger(storage),
      idempotency: createStorageIdempotencyStore(storage, { namespace: 'facilitator-payment-identifiers' }),
    }
  },
})
