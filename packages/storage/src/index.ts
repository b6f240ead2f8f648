export {
  DEFAULT_BUDGET_STORE_URL,
  type OpenBudgetStoreOptions,
  type OpenedBudgetStore,
  openBudgetStore,
} from './budgets/open-budget-store.js'
export {
  createStorageBudgetStore,
  type StorageBudgetStoreOptions,
} from './budgets/storage-budget-store.js'
export type {
  DiscoveryCatalog,
  DiscoveryListOptions,
  DiscoveryPage,
  DiscoveryRecord,
  DiscoveryUpsertOptions,
} from './discovery/discovery-catalog.js'
export type { StorageEngineKind } from './engines/storage-engine.js'
export {
  createStorageIdempotencyStore,
  DEFAULT_IDEMPOTENCY_NAMESPACE,
  type StorageIdempotencyStoreOptions,
} from './idempotency/storage-idempotency-store.js'
export type {
  KeyValueEntry,
  KeyValueStore,
  PutIfAbsentResult,
  PutOptions,
} from './key-value/key-value-store.js'
export type { MigrationResult } from './migrations/plan-migrations.js'
export { type OpenStorageOptions, openStorage } from './open-storage.js'
export {
  createLedgerSettlementGuard,
  type LedgerSettlementGuardOptions,
} from './settlements/ledger-settlement-guard.js'
export type {
  ClaimOptions,
  ClaimResult,
  ListSettlementsOptions,
  SettlementLedger,
  SettlementPage,
} from './settlements/settlement-ledger.js'
export {
  SETTLEMENT_STATES,
  type SettlementDetails,
  type SettlementRecord,
  type SettlementState,
  settlementDetailsOf,
} from './settlements/settlement-record.js'
export {
  createStorageSettlementLedger,
  type StorageSettlementLedgerOptions,
} from './settlements/storage-settlement-ledger.js'
export type { Storage } from './storage.js'
export {
  type PostgresPoolConfig,
  type ResolvedStorageConfig,
  resolveStorageConfig,
  type StorageConfig,
} from './storage-config.js'
export type {
  ListVerificationsOptions,
  VerificationLog,
  VerificationPage,
} from './verifications/verification-log.js'
export type {
  VerificationEntry,
  VerificationRecord,
  VerificationResult,
  VerificationStage,
} from './verifications/verification-record.js'
