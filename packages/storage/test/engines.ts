import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openStorage } from '../src/open-storage.js'
import type { Storage } from '../src/storage.js'
import type { StorageConfig } from '../src/storage-config.js'

/** The PostgreSQL server the suite runs against (CI checks that it answers). */
export const POSTGRES_URL = process.env.OPEN402_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A fresh, empty database of one engine for one test, and a clock the test moves. */
export interface EngineFixture {
  /** Opens another handle (SQLite) or pool (PostgreSQL) on the same database, like another instance. */
  open(): Storage
  config: StorageConfig
  clock: { now: number }
  /** Closes every handle opened and drops the database. */
  cleanup(): Promise<void>
}

/** The engines every repository test runs on. */
export const ENGINES = ['sqlite', 'postgres'] as const
export type EngineName = (typeof ENGINES)[number]

/**
 * Fails (never skips) when PostgreSQL does not answer: the storage suite is one suite for both engines, and
 * a silently skipped half would hide exactly the multi-instance behaviour it exists to check.
 */
export async function assertPostgresReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query('select 1')
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_URL} (${(error as Error).message}). The @open402/storage suite ` +
        'runs every test on SQLite and PostgreSQL: start PostgreSQL on 127.0.0.1:5432 with a database "test" ' +
        '(trust auth), or point OPEN402_TEST_POSTGRES_URL at one.',
    )
  } finally {
    await client.end().catch(() => {})
  }
}

let counter = 0

/** Creates an isolated database: a temp SQLite file, or a PostgreSQL schema unique to this run and test. */
export function createEngineFixture(engine: EngineName): EngineFixture {
  const clock = { now: 1_700_000_000_000 }
  const opened: Storage[] = []
  let config: StorageConfig
  let drop: () => Promise<void>
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'open402-storage-'))
    config = { sqlite: { path: join(dir, 'open402.db') } }
    drop = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    counter += 1
    const schema = `open402_test_${process.pid}_${Date.now().toString(36)}_${counter}`
    config = { postgres: { connectionString: POSTGRES_URL, schema, pool: { max: 5 } } }
    drop = async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      try {
        await client.query(`drop schema if exists ${schema} cascade`)
      } finally {
        await client.end()
      }
    }
  }
  return {
    config,
    clock,
    open() {
      const storage = openStorage(config, { now: () => clock.now })
      opened.push(storage)
      return storage
    },
    async cleanup() {
      await Promise.all(opened.map((storage) => storage.close()))
      await drop()
    },
  }
}
