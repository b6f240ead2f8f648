import type { FacilitatorLedger, IdempotencyStore, SettleResponse } from '@open402/core'
import type { DiscoveryStore } from './discovery/discovery-store.js'

/** One payment as the ledger records it (the fields of @open402/storage's `SettlementRecord` shown by the API). */
export interface SettlementView {
  id: string
  state: string
  scheme: string | null
  network: string | null
  asset: string | null
  amount: string | null
  payer: string | null
  payTo: string | null
  transaction: string | null
  signer?: string | null
  reason: string | null
  message: string | null
  /** The answer given for this payment. */
  response: SettleResponse | null
  attempts: number
  createdAt: number
  updatedAt: number
}

/** A refused verify or settle of a payment, as the ledger's verification history records it. */
export interface RefusalView {
  stage: 'verify' | 'settle'
  reason: string | null
  message: string | null
  createdAt: number
}

/** Looks payments up by id, for `GET /settlements/:id`. */
export interface SettlementLookup {
  get(id: string): Promise<SettlementView | undefined>
  /** The latest refusal of the payment, if the database keeps a verification history. */
  lastRefusal?(id: string): Promise<RefusalView | undefined>
}

/**
 * The database the service records settlements in: `openStorage({ url })` from @open402/storage fits, with
 * `createStorageSettlementLedger(storage)` as its ledger.
 */
export interface FacilitatorStorage {
  migrate(): Promise<unknown>
  /** Resolves when the database answers (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
  readonly settlements: SettlementLookup
  /** The verification history (`storage.verifications` of @open402/storage), when there is one. */
  readonly verifications?: { lastRefusal(id: string): Promise<RefusalView | undefined> }
  /** The discovery catalog (`storage.discovery` of @open402/storage), when there is one. */
  readonly discovery?: DiscoveryStore
}

/** A database and the settlement ledger on it, opened from `config.storage.url`. */
export interface OpenedFacilitatorStorage {
  storage: FacilitatorStorage
  ledger: FacilitatorLedger
  /**
   * Where payment identifiers are remembered (`createStorageIdempotencyStore(storage)`), shared by the
   * instances on the database; without it, in memory.
   */
  idempotency?: IdempotencyStore
}
