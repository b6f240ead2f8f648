import type { DiscoveryCatalog } from './discovery/discovery-catalog.js'
import type { StorageEngineKind } from './engines/storage-engine.js'
import type { KeyValueStore } from './key-value/key-value-store.js'
import type { MigrationResult } from './migrations/plan-migrations.js'
import type { SettlementLedger } from './settlements/settlement-ledger.js'
import type { VerificationLog } from './verifications/verification-log.js'

/**
 * The storage seam (DESIGN §5): repositories over one database, SQLite (embedded, one instance) or
 * PostgreSQL (any number of instances). Uniqueness and exactly-once are enforced by the database.
 */
export interface Storage {
  readonly engine: StorageEngineKind
  /** The settlement ledger: one row per payment id (DESIGN §4). */
  readonly settlements: SettlementLedger
  /** The verification history: every verify call and every settle refused before sending, with reasons. */
  readonly verifications: VerificationLog
  /** The discovery catalog: resources seen paid, with their offers and bazaar declarations. */
  readonly discovery: DiscoveryCatalog
  /** A namespace of the shared key-value store (idempotency keys, entitlements). */
  keyValue<TValue = unknown>(namespace: string): KeyValueStore<TValue>
  /** Brings the schema up to date; safe to call from several instances at once. */
  migrate(): Promise<MigrationResult>
  /** Resolves when the database answers a query (for readiness checks); rejects with the driver's error. */
  ping(): Promise<void>
  /** Closes the database connection or pool. */
  close(): Promise<void>
}
