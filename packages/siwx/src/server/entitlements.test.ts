import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStorage, type Storage } from '@open402/storage'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assertGrant, createEntitlementStore, type EntitlementKey } from './entitlements.js'
import { createMemorySiwxStorage, type SiwxStorage } from './key-value.js'

const clock = { now: 1_750_000_000_000 }
let dir: string
let sqlite: Storage
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'open402-siwx-'))
  sqlite = openStorage({ sqlite: { path: join(dir, 'siwx.db') } }, { now: () => clock.now })
  await sqlite.migrate()
})
afterAll(async () => {
  await sqlite?.close()
  rmSync(dir, { recursive: true, force: true })
})

let counter = 0
const engines: [string, () => SiwxStorage][] = [
  ['memory', () => createMemorySiwxStorage(() => clock.now)],
  ['SQLite', () => sqlite],
]
const key = (address = `0xabc${++counter}`): EntitlementKey => ({
  scope: 'GET /report',
  chainId: 'eip155:8453',
  address,
})

describe.each(engines)('entitlements on %s', (_engine, open) => {
  const store = () => createEntitlementStore(open(), `entitlements-${++counter}`)

  test('a period grant lets the wallet in until it ends, for any number of requests', async () => {
    const entitlements = store()
    const wallet = key()
    expect(await entitlements.consume(wallet)).toBe(false)
    await entitlements.grant(wallet, { ttlMs: 60_000 })
    for (let i = 0; i < 3; i++) expect(await entitlements.consume(wallet)).toBe(true)
    expect(await entitlements.get(wallet)).toEqual({ uses: undefined, expiresAt: clock.now + 60_000 })
    clock.now += 60_000
    expect(await entitlements.consume(wallet)).toBe(false)
  })

  test('a counted grant runs out, and paying again adds uses and restarts the period', async () => {
    const entitlements = store()
    const wallet = key()
    await entitlements.grant(wallet, { uses: 2, ttlMs: 10_000 })
    expect(await entitlements.consume(wallet)).toBe(true)
    expect(await entitlements.consume(wallet)).toBe(true)
    expect(await entitlements.consume(wallet)).toBe(false)
    await entitlements.grant(wallet, { uses: 2, ttlMs: 10_000 })
    await entitlements.grant(wallet, { uses: 2, ttlMs: 10_000 })
    expect(await entitlements.get(wallet)).toEqual({ uses: 4, expiresAt: clock.now + 10_000 })
    clock.now += 9_999
    expect(await entitlements.consume(wallet)).toBe(true)
    expect(await entitlements.get(wallet)).toMatchObject({ uses: 3, expiresAt: clock.now + 1 })
    clock.now += 1
    expect(await entitlements.consume(wallet)).toBe(false)
  })

  test('concurrent requests never take more uses than were granted', async () => {
    const entitlements = store()
    const wallet = key()
    await entitlements.grant(wallet, { uses: 5 })
    const results = await Promise.all(Array.from({ length: 12 }, () => entitlements.consume(wallet)))
    expect(results.filter(Boolean)).toHaveLength(5)
    expect(await entitlements.get(wallet)).toEqual({ uses: 0, expiresAt: null })
  })

  test('entitlements are per scope, chain and address', async () => {
    const entitlements = store()
    const wallet = key('0xpaid')
    await entitlements.grant(wallet, { ttlMs: 60_000 })
    expect(await entitlements.consume({ ...wallet, scope: 'GET /other' })).toBe(false)
    expect(await entitlements.consume({ ...wallet, chainId: 'eip155:1' })).toBe(false)
    expect(await entitlements.consume({ ...wallet, address: '0xother' })).toBe(false)
    expect(await entitlements.consume(wallet)).toBe(true)
  })
})

test.each([[{}], [{ uses: 0 }], [{ ttlMs: -1 }], [{ uses: 1.5 }], [{ ttlMs: Number.NaN }]])(
  'assertGrant refuses %j',
  (grant) => {
    expect(() => assertGrant(grant, 'siwx')).toThrow(/siwx: grant must be \{ ttlMs \} and\/or \{ uses \}/)
  },
)
