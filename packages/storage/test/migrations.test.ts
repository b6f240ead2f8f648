import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

describe.each(ENGINES)('migrations on %s', (engine) => {
  let fixture: EngineFixture
  afterEach(() => fixture.cleanup())

  test('applies every migration once, then reports nothing to do', async () => {
    fixture = createEngineFixture(engine)
    const storage = fixture.open()
    expect(await storage.migrate()).toEqual({ applied: [1, 2], version: 2 })
    expect(await storage.migrate()).toEqual({ applied: [], version: 2 })
    const reopened = fixture.open()
    expect(await reopened.migrate()).toEqual({ applied: [], version: 2 })
  })

  test('two instances migrating at once apply each migration exactly once', async () => {
    fixture = createEngineFixture(engine)
    const instances = [fixture.open(), fixture.open(), fixture.open()]
    const results = await Promise.all(instances.map((storage) => storage.migrate()))
    expect(results.flatMap((result) => result.applied).sort()).toEqual([1, 2])
    expect(results.map((result) => result.version)).toEqual([2, 2, 2])
    // Every instance can use the tables afterwards.
    for (const [index, storage] of instances.entries()) {
      await storage.keyValue('k').put(`key-${index}`, index)
    }
    expect((await instances[0]?.keyValue('k').get('key-2'))?.value).toBe(2)
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
