import { X402Error } from '@open402/core'
import type { Kysely } from 'kysely'
import type { StorageDatabase } from '../database-schema.js'
import type { StorageMigration } from './storage-migration.js'

/** Name of the table that records applied migration versions. */
export const MIGRATIONS_TABLE = 'open402_migrations'

/** The statement creating the migrations table when it does not exist (run under the engine's lock). */
export function createMigrationsTable(db: Kysely<StorageDatabase>) {
  return db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('version', 'integer', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('applied_at', 'bigint', (column) => column.notNull())
}

/**
 * The migrations still to apply, in version order, given the versions already applied. Throws when the
 * database was migrated by a newer open402 (a version this code does not know), because running old code
 * against a newer schema could corrupt it.
 */
export function planMigrations(
  migrations: readonly StorageMigration[],
  applied: Iterable<number>,
): StorageMigration[] {
  const known = new Set<number>()
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version < 1 || known.has(migration.version)) {
      throw new X402Error('invalid_config', `migration version ${migration.version} is invalid or repeated`)
    }
    known.add(migration.version)
  }
  const done = new Set(applied)
  for (const version of done) {
    if (!known.has(version)) {
      throw new X402Error(
        'invalid_config',
        `the database has migration ${version}, which this version of @open402/storage does not know; upgrade it`,
      )
    }
  }
  return migrations.filter((migration) => !done.has(migration.version)).sort((a, b) => a.version - b.version)
}

/** What a `migrate()` call did. */
export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[]
  /** The schema version after the call. */
  version: number
}

/** The result of a run that applied `pending` on top of `applied`. */
export function migrationResult(applied: Iterable<number>, pending: StorageMigration[]): MigrationResult {
  const versions = [...applied, ...pending.map((migration) => migration.version)]
  return { applied: pending.map((migration) => migration.version), version: Math.max(0, ...versions) }
}
