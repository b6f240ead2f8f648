import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

describe.each(ENGINES)('key-value store on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('put and get round-trip JSON values, separately per namespace', async () => {
    const entitlements = storage.keyValue<{ resource: string; uses: number[] }>('entitlements')
    const entry = await entitlements.put('alice', { resource: '/report', uses: [1, 2] })
    expect(entry).toEqual({
      key: 'alice',
      value: { resource: '/report', uses: [1, 2] },
      expiresAt: null,
      createdAt: fixture.clock.now,
      updatedAt: fixture.clock.now,
    })
    expect(await entitlements.get('alice')).toEqual(entry)
    expect(await storage.keyValue('other').get('alice')).toBeUndefined()
    await entitlements.put('alice', { resource: '/other', uses: [] })
    expect((await entitlements.get('alice'))?.value).toEqual({ resource: '/other', uses: [] })
  })

  test('entries expire after their ttl and read as absent', async () => {
    const store = storage.keyValue<string>('cache')
    await store.put('k', 'v', { ttlMs: 1000 })
    expect(await store.get('k')).toMatchObject({ value: 'v', expiresAt: fixture.clock.now + 1000 })
    fixture.clock.now += 999
    expect((await store.get('k'))?.value).toBe('v')
    fixture.clock.now += 1
    expect(await store.get('k')).toBeUndefined()
  })

  test('entries given an expiresAt expire at that time', async () => {
    const store = storage.keyValue<string>('cache')
    const at = fixture.clock.now + 250
    expect(await store.put('k', 'v', { expiresAt: at })).toMatchObject({ value: 'v', expiresAt: at })
    fixture.clock.now = at - 1
    expect((await store.get('k'))?.value).toBe('v')
    fixture.clock.now = at
    expect(await store.get('k')).toBeUndefined()
    await expect(store.put('k', 'v', { expiresAt: at, ttlMs: 5 })).rejects.toThrow(/not both/)
    await expect(store.put('k', 'v', { expiresAt: 1.5 })).rejects.toThrow(/whole number of epoch ms/)
  })

  test('putIfAbsent stores when absent or expired and otherwise returns the live entry', async () => {
    const store = storage.keyValue<number>('idempotency')
    expect(await store.putIfAbsent('k', 1, { ttlMs: 500 })).toMatchObject({
      stored: true,
      entry: { value: 1 },
    })
    expect(await store.putIfAbsent('k', 2)).toMatchObject({ stored: false, existing: { value: 1 } })
    fixture.clock.now += 500
    const replaced = await store.putIfAbsent('k', 3)
    expect(replaced).toMatchObject({
      stored: true,
      entry: { value: 3, expiresAt: null, createdAt: fixture.clock.now },
    })
    expect(await store.putIfAbsent('k', 4)).toMatchObject({ stored: false, existing: { value: 3 } })
  })

  test('compareAndSet writes only over the expected value, and only one of many racing writers wins', async () => {
    const store = storage.keyValue<string>('counters')
    expect(await store.compareAndSet('n', undefined, '1', { ttlMs: 100 })).toBe(true)
    expect(await store.compareAndSet('n', undefined, '9')).toBe(false)
    expect(await store.compareAndSet('n', '0', '9')).toBe(false)
    expect(await store.compareAndSet('n', '1', '2', { ttlMs: 100 })).toBe(true)
    expect(await store.get('n')).toMatchObject({ value: '2', expiresAt: fixture.clock.now + 100 })

    // Five handles (five pools on PostgreSQL) race from the same read: one write lands.
    const others = Array.from({ length: 5 }, () => fixture.open().keyValue<string>('counters'))
    const results = await Promise.all(
      others.map((other, i) => other.compareAndSet('n', '2', `3-${i}`, { ttlMs: 100 })),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    expect((await store.get('n'))?.value).toBe(`3-${results.indexOf(true)}`)

    // An expired entry is no longer the expected value; it counts as absent.
    fixture.clock.now += 100
    expect(await store.get('n')).toBeUndefined()
    expect(await store.compareAndSet('n', `3-${results.indexOf(true)}`, 'late')).toBe(false)
    expect(await store.compareAndSet('n', undefined, 'fresh')).toBe(true)
    expect((await store.get('n'))?.value).toBe('fresh')
  })

  test('delete and deleteExpired remove entries of their namespace only', async () => {
    const store = storage.keyValue('a')
    const other = storage.keyValue('b')
    await store.put('live', true)
    await store.put('old-1', true, { ttlMs: 10 })
    await store.put('old-2', true, { ttlMs: 10 })
    await other.put('old', true, { ttlMs: 10 })
    fixture.clock.now += 10
    expect(await store.deleteExpired()).toBe(2)
    expect(await store.deleteExpired()).toBe(0)
    expect(await other.deleteExpired()).toBe(1)
    expect(await store.delete('live')).toBe(true)
    expect(await store.delete('live')).toBe(false)
    expect(await store.get('live')).toBeUndefined()
  })

  test('rejects values that are not JSON, a non-positive ttl and an empty namespace', async () => {
    const store = storage.keyValue('a')
    await expect(store.put('k', undefined)).rejects.toThrow(/JSON values/)
    await expect(store.put('k', 1, { ttlMs: 0 })).rejects.toThrow(/must be positive/)
    expect(() => storage.keyValue('')).toThrow(/namespace is empty/)
  })
})
