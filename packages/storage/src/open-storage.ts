import { sql } from 'kysely'
import { createDiscoveryCatalog } from './discovery/create-discovery-catalog.js'
import { openPostgresEngine } from './engines/postgres-engine.js'
import { openSqliteEngine } from './engines/sqlite-engine.js'
import type { StorageEngine } from './engines/storage-engine.js'
import { createKeyValueStore } from './key-value/create-key-value-store.js'
import { MIGRATIONS } from './migrations/migrations.js'
import { createSettlementLedger } from './settlements/create-settlement-ledger.js'
import type { Storage } from './storage.js'
import { resolveStorageConfig, type StorageConfig } from './storage-config.js'
import { createVerificationLog } from './verifications/create-verification-log.js'

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /** Clock in epoch milliseconds for timestamps, leases and expiry (default `Date.now`; for tests). */
  now?: () => number
}

function openEngine(config: StorageConfig): StorageEngine {
  const resolved = resolveStorageConfig(config)
  if (resolved.engine === 'sqlite') {
    return openSqliteEngine({
      path: resolved.path,
      ...(resolved.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: resolved.busyTimeoutMs }),
    })
  }
  return openPostgresEngine({
    connectionString: resolved.connectionString,
    ...(resolved.schema === undefined ? {} : { schema: resolved.schema }),
    ...(resolved.pool === undefined ? {} : { pool: resolved.pool }),
  })
}

/**
 * Opens storage on SQLite or PostgreSQL. Call `migrate()` before first use (the facilitator does it on
 * start) and `close()` at shutdown. PostgreSQL connects lazily; a SQLite file is opened (and created)
 * immediately.
 * @example
 * const storage = openStorage({ url: 'sqlite:./open402.db' })
 * await storage.migrate()
 */
export function openStorage(config: StorageConfig, options: OpenStorageOptions = {}): Storage {
  const engine = openEngine(config)
  const now = options.now ?? Date.now
  return {
    engine: engine.kind,
    settlements: createSettlementLedger(engine.db, now),
    verifications: createVerificationLog(engine.db, now),
    discovery: createDiscoveryCatalog(engine.db, now),
    keyValue: (namespace) => createKeyValueStore(engine.db, namespace, now),
    migrate: () => engine.migrate(MIGRATIONS),
    async ping() {
      await sql`select 1`.execute(engine.db)
    },
    close: () => engine.close(),
  }
}
