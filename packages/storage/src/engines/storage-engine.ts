import type { Kysely } from 'kysely'
import type { StorageDatabase } from '../database-schema.js'
import type { MigrationResult } from '../migrations/plan-migrations.js'
import type { StorageMigration } from '../migrations/storage-migration.js'

/** Which database an engine talks to. */
export type StorageEngineKind = 'sqlite' | 'postgres'

/**
 * A database connection as the repositories use it: a Kysely instance (one SQL code path for both
 * engines) plus the parts that differ per engine, namely how migrations are serialised across instances.
 */
export interface StorageEngine {
  readonly kind: StorageEngineKind
  readonly db: Kysely<StorageDatabase>
  /** Applies pending migrations, each in its own transaction, under a lock other instances respect. */
  migrate(migrations: readonly StorageMigration[]): Promise<MigrationResult>
  /** Closes the connection or pool; idempotent. */
  close(): Promise<void>
}
