import type { Compilable, Kysely } from 'kysely'
import type { StorageEngineKind } from '../engines/storage-engine.js'

/**
 * One versioned schema change, shared by both engines: its statements are built with Kysely's schema
 * builder and compiled for the engine that applies them, so SQLite and PostgreSQL get the same tables.
 * Versions are applied in ascending order, each once, in its own transaction. `engine` is there for the
 * few column definitions the engines spell differently (an auto-incrementing key).
 */
export interface StorageMigration {
  version: number
  name: string
  // biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that the typed schema does not know yet
  statements(db: Kysely<any>, engine: StorageEngineKind): Compilable[]
}
