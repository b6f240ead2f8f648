import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { openPostgresEngine } from '../src/engines/postgres-engine.js'
import { openSqliteEngine } from '../src/engines/sqlite-engine.js'
import type { StorageEngine } from '../src/engines/storage-engine.js'
import { MIGRATIONS } from '../src/migrations/migrations.js'
import { resolveStorageConfig } from '../src/storage-config.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

describe.each(ENGINES)('migrations on %s', (engine) => {
  let fixture: EngineFixture
  afterEach(() => fixture.cleanup())

  test('applies every migration once, then reports nothing to do', async () => {
    fixture = createEngineFixture(engine)
    const storage = fixture.open()
    expect(await storage.migrate()).toEqual({ applied: [1, 2, 3, 4], version: 4 })
    expect(await storage.migrate()).toEqual({ applied: [], version: 4 })
    const reopened = fixture.open()
    expect(await reopened.migrate()).toEqual({ applied: [], version: 4 })
  })

  test('two instances migrating at once apply each migration exactly once', async () => {
    fixture = createEngineFixture(engine)
    const instances = [fixture.open(), fixture.open(), fixture.open()]
    const results = await Promise.all(instances.map((storage) => storage.migrate()))
    expect(results.flatMap((result) => result.applied).sort()).toEqual([1, 2, 3, 4])
    expect(results.map((result) => result.version)).toEqual([4, 4, 4])
    // Every instance can use the tables afterwards.
    for (const [index, storage] of instances.entries()) {
      await storage.keyValue('k').put(`key-${index}`, index)
    }
    expect((await instances[0]?.keyValue('k').get('key-2'))?.value).toBe(2)
  })

  test('upgrades a database at version 2 to the verification history, keeping its settlements', async () => {
    fixture = createEngineFixture(engine)
    const resolved = resolveStorageConfig(fixture.config)
    const old: StorageEngine =
      resolved.engine === 'sqlite' ? openSqliteEngine(resolved) : openPostgresEngine(resolved)
    try {
      expect(await old.migrate(MIGRATIONS.slice(0, 2))).toEqual({ applied: [1, 2], version: 2 })
    } finally {
      await old.close()
    }
    const storage = fixture.open()
    await storage.settlements.recordVerified('p1', {
      scheme: 'exact',
      network: 'eip155:8453',
      asset: 'USDC',
      amount: '1',
      payTo: 'shop',
    })
    expect(await storage.migrate()).toEqual({ applied: [3, 4], version: 4 })
    expect((await storage.settlements.get('p1'))?.state).toBe('verified')
    await storage.verifications.record({ paymentId: 'p1', stage: 'verify', result: 'valid' })
    expect((await storage.verifications.list({ paymentId: 'p1' })).records).toHaveLength(1)
  })

  test('ping resolves while open and rejects after close', async () => {
    fixture = createEngineFixture(engine)
    const storage = fixture.open()
    await expect(storage.ping()).resolves.toBeUndefined()
    await storage.close()
    await expect(storage.ping()).rejects.toThrow()
    await storage.close()
    expect(storage.engine).toBe(engine)
  })
})
