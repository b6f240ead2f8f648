import { createStorageIdempotencyStore, createStorageSettlementLedger, openStorage } from '@open402/storage'
import type { OpenedFacilitatorStorage } from './facilitator-storage.js'

/**
 * Opens the database at `url` (`sqlite:…` or `postgres://…`) for the facilitator service: the storage
 * itself (discovery catalog, readiness), its settlement ledger and its payment-identifier store. What the
 * `open402-facilitator` and `open402 facilitator` commands pass as `openStorage`.
 */
export function openFacilitatorStorage(url: string): OpenedFacilitatorStorage {
  const storage = openStorage({ url })
  return {
    storage,
    ledger: createStorageSettlementLedger(storage),
    idempotency: createStorageIdempotencyStore(storage, { namespace: 'facilitator-payment-identifiers' }),
  }
}
