import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { StorageDatabase } from '../database-schema.js'
import {
  createMigrationsTable,
  MIGRATIONS_TABLE,
  migrationResult,
  planMigrations,
} from '../migrations/plan-migrations.js'
import { assertSchemaName } from './schema-name.js'
import type { StorageEngine } from './storage-engine.js'

/** Options of {@link openPostgresEngine}. */
export interface PostgresEngineOptions {
  connectionString: string
  /** Schema holding the tables (created by `migrate()`); default: the server's search path (`public`). */
  schema?: string
  /** Pool settings passed to `pg.Pool`. */
  pool?: { max?: number; idleTimeoutMillis?: number; connectionTimeoutMillis?: number }
}

/**
 * Opens a `pg` pool. Migrations take a session advisory lock keyed by the schema name, so instances
 * starting together apply each migration once: the others wait, then find nothing left to do.
 */
export function openPostgresEngine(options: PostgresEngineOptions): StorageEngine {
  if (options.schema !== undefined) assertSchemaName(options.schema)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.pool?.max ?? 10,
    idleTimeoutMillis: options.pool?.idleTimeoutMillis ?? 30_000,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMillis ?? 10_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  })
  // An idle client losing its connection emits 'error' on the pool; without a listener Node would crash.
  // The next query checks out a fresh client and reports the failure to its caller instead.
  pool.on('error', () => {})
  const db = new Kysely<StorageDatabase>({ dialect: new PostgresDialect({ pool }) })
  const lockName = `open402:migrate:${options.schema ?? 'public'}`
  let closed = false

  return {
    kind: 'postgres',
    db,
    async migrate(migrations) {
      return db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(hashtext(${lockName}))`.execute(connection)
        try {
          if (options.schema !== undefined) {
            await sql`create schema if not exists ${sql.id(options.schema)}`.execute(connection)
          }
          await connection.executeQuery(createMigrationsTable(db).compile())
          const rows = await connection.selectFrom(MIGRATIONS_TABLE).select('version').execute()
          const applied = rows.map((row) => Number(row.version))
          const pending = planMigrations(migrations, applied)
          for (const migration of pending) {
            await sql`begin`.execute(connection)
            try {
              for (const statement of migration.statements(db, 'postgres')) {
                await connection.executeQuery(statement.compile())
              }
              await connection
                .insertInto(MIGRATIONS_TABLE)
                .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
                .execute()
              await sql`commit`.execute(connection)
            } catch (error) {
              await sql`rollback`.execute(connection)
              throw error
            }
          }
          return migrationResult(applied, pending)
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${lockName}))`.execute(connection)
        }
      })
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
      if (!pool.ended) await pool.end()
    },
  }
}
