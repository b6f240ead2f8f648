import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { StorageDatabase } from '../database-schema.js'
import {
  createMigrationsTable,
  MIGRATIONS_TABLE,
  migrationResult,
  planMigrations,
} from '../migrations/plan-migrations.js'
import type { StorageEngine } from './storage-engine.js'

/** Options of {@link openSqliteEngine}. */
export interface SqliteEngineOptions {
  /** File path, or `:memory:` for a private in-memory database. */
  path: string
  /** How long a statement waits for another process's write lock (default 5 s). */
  busyTimeoutMs?: number
}

/**
 * Opens a SQLite database with better-sqlite3: WAL journal (readers never block the writer), a busy timeout
 * for other processes' writes, and full fsync so a recorded settlement survives a crash.
 *
 * better-sqlite3 runs each statement synchronously, so a single statement is atomic even against other
 * handles in the same process; the repositories therefore change state with single statements only, and
 * migrations run synchronously inside one `BEGIN IMMEDIATE` transaction (never across an `await`, where a
 * second handle in the same thread would wait on a lock its own thread holds).
 */
export function openSqliteEngine(options: SqliteEngineOptions): StorageEngine {
  const raw = new Database(options.path)
  raw.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`)
  if (options.path !== ':memory:' && options.path !== '') raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  const db = new Kysely<StorageDatabase>({ dialect: new SqliteDialect({ database: raw }) })
  let closed = false

  return {
    kind: 'sqlite',
    db,
    async migrate(migrations) {
      const run = raw.transaction(() => {
        raw.exec(createMigrationsTable(db).compile().sql)
        const rows = raw.prepare(`select version from ${MIGRATIONS_TABLE}`).all() as { version: number }[]
        const applied = rows.map((row) => Number(row.version))
        const pending = planMigrations(migrations, applied)
        for (const migration of pending) {
          for (const statement of migration.statements(db, 'sqlite')) {
            const compiled = statement.compile()
            raw.prepare(compiled.sql).run(...(compiled.parameters as unknown[]))
          }
          raw
            .prepare(`insert into ${MIGRATIONS_TABLE} (version, name, applied_at) values (?, ?, ?)`)
            .run(migration.version, migration.name, Date.now())
        }
        return migrationResult(applied, pending)
      })
      return run.immediate()
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
      if (raw.open) raw.close()
    },
  }
}
