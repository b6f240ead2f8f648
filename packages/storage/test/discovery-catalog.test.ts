import {
  type DiscoveryCatalogEntry,
  declareDiscovery,
  isX402Error,
  type PaymentRequirements,
} from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { DiscoveryListOptions } from '../src/discovery/discovery-catalog.js'
import { openPostgresEngine } from '../src/engines/postgres-engine.js'
import { openSqliteEngine } from '../src/engines/sqlite-engine.js'
import { MIGRATIONS } from '../src/migrations/migrations.js'
import type { Storage } from '../src/storage.js'
import { resolveStorageConfig } from '../src/storage-config.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
const MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'

function offer(amount: string, extra: Partial<PaymentRequirements> = {}): PaymentRequirements {
  return {
    scheme: 'exact',
    network: 'eip155:8453',
    amount,
    asset: USDC_BASE,
    payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
    maxTimeoutSeconds: 300,
    extra: { name: 'USD Coin', version: '2' },
    ...extra,
  }
}

function entry(resource: string, fields: Partial<DiscoveryCatalogEntry> = {}): DiscoveryCatalogEntry {
  const extension = declareDiscovery({ method: 'GET', description: fields.description })
  return {
    resource,
    type: 'http',
    operation: 'GET',
    x402Version: 2,
    tags: [],
    extension,
    offer: offer('10000'),
    ...fields,
  }
}

const page = (options: Partial<DiscoveryListOptions> = {}): DiscoveryListOptions => ({
  limit: 20,
  offset: 0,
  ...options,
})

describe.each(ENGINES)('discovery catalog on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('adds a resource, then updates it in place by (URL, method) and keeps one row per offer', async () => {
    const catalog = storage.discovery
    const created = fixture.clock.now
    await catalog.upsert(entry('https://a.example/weather', { description: 'Weather', tags: ['weather'] }))
    fixture.clock.now += 5_000
    await catalog.upsert(
      entry('https://a.example/weather', {
        description: 'Weather, now hourly',
        mimeType: 'application/json',
        serviceName: 'Example',
        tags: ['weather', 'hourly'],
        offer: offer('20000', { asset: USDC_BASE.toLowerCase() }), // the same offer, repriced
      }),
    )
    await catalog.upsert(
      entry('https://a.example/weather', {
        description: 'Weather, now hourly',
        offer: offer('5000', {
          network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
          asset: MINT,
          payTo: 'Shop',
        }),
      }),
    )
    const record = await catalog.get('https://a.example/weather', 'http', 'GET')
    expect(record).toEqual({
      resource: 'https://a.example/weather',
      type: 'http',
      operation: 'GET',
      x402Version: 2,
      description: 'Weather, now hourly',
      mimeType: null,
      serviceName: null,
      tags: [],
      extension: declareDiscovery({ method: 'GET', description: 'Weather, now hourly' }),
      offers: [
        offer('5000', { network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp', asset: MINT, payTo: 'Shop' }),
        offer('20000', { asset: USDC_BASE.toLowerCase() }),
      ],
      createdAt: created,
      updatedAt: created + 5_000,
    })
    expect((await catalog.list(page())).total).toBe(1)
    expect(await catalog.get('https://a.example/weather', 'http', 'POST')).toBeUndefined()
  })

  test('keys MCP tools by (URL, tool): two tools of one server are two resources', async () => {
    const tool = (name: string): DiscoveryCatalogEntry => ({
      ...entry('https://a.example/mcp'),
      type: 'mcp',
      operation: name,
      extension: declareDiscovery({ tool: name, inputSchema: { type: 'object' } }),
    })
    await storage.discovery.upsert(tool('forecast'))
    await storage.discovery.upsert(tool('history'))
    await storage.discovery.upsert(tool('forecast'))
    const listed = await storage.discovery.list(page({ type: 'mcp' }))
    expect(listed.total).toBe(2)
    expect(listed.records.map((record) => record.operation).sort()).toEqual(['forecast', 'history'])
    expect((await storage.discovery.list(page({ type: 'http' }))).total).toBe(0)
  })

  test('filters by network, scheme, asset, price and words, all on one offer', async () => {
    const catalog = storage.discovery
    await catalog.upsert(
      entry('https://a.example/cheap', { description: 'Cheap weather', tags: ['Weather'] }),
      {
        usdAmount: 10n ** 16n, // $0.01
      },
    )
    fixture.clock.now += 1
    await catalog.upsert(
      entry('https://b.example/dear', {
        description: 'Dear 100%_pure news',
        offer: offer('2000000', { network: 'eip155:84532' }),
      }),
      { usdAmount: 2n * 10n ** 18n },
    )
    fixture.clock.now += 1
    await catalog.upsert(
      entry('https://c.example/mint', {
        description: 'Solana weather',
        offer: offer('1', { network: 'solana:x', asset: MINT }),
      }),
    )
    const urls = async (options: Partial<DiscoveryListOptions>) =>
      (await catalog.list(page(options))).records.map((record) => new URL(record.resource).pathname)

    expect(await urls({})).toEqual(['/mint', '/dear', '/cheap'])
    expect(await urls({ network: 'eip155:8453' })).toEqual(['/cheap'])
    expect(await urls({ scheme: 'exact', network: 'eip155:84532' })).toEqual(['/dear'])
    expect(await urls({ scheme: 'upto' })).toEqual([])
    expect(await urls({ asset: USDC_BASE.toUpperCase().replace('0X', '0x') })).toEqual(['/dear', '/cheap'])
    expect(await urls({ asset: MINT })).toEqual(['/mint'])
    expect(await urls({ asset: MINT.toLowerCase() })).toEqual([])
    expect(await urls({ maxAmount: 10000n })).toEqual(['/mint', '/cheap'])
    expect(await urls({ maxAmount: 10n ** 90n })).toEqual(['/mint', '/dear', '/cheap'])
    expect(await urls({ maxUsd: 10n ** 17n })).toEqual(['/cheap'])
    expect(await urls({ maxUsd: 10n ** 19n })).toEqual(['/dear', '/cheap'])
    expect(await urls({ terms: ['weather'] })).toEqual(['/mint', '/cheap'])
    expect(await urls({ terms: ['weather', 'cheap'] })).toEqual(['/cheap'])
    expect(await urls({ terms: ['100%_'] })).toEqual(['/dear'])
    expect(await urls({ terms: ['%'] })).toEqual(['/dear'])
    expect(await urls({ terms: ['b.example'] })).toEqual(['/dear'])
    expect(await urls({ network: 'eip155:84532', maxAmount: 10000n })).toEqual([])
  })

  test('pages most recently seen first, with the total of all matches', async () => {
    for (let i = 0; i < 5; i++) {
      await storage.discovery.upsert(entry(`https://a.example/r${i}`))
      fixture.clock.now += 1_000
    }
    await storage.discovery.upsert(entry('https://a.example/r1')) // seen again: first now
    const first = await storage.discovery.list(page({ limit: 2 }))
    expect(first.total).toBe(5)
    expect(first.records.map((record) => record.resource)).toEqual([
      'https://a.example/r1',
      'https://a.example/r4',
    ])
    const last = await storage.discovery.list(page({ limit: 2, offset: 4 }))
    expect(last).toMatchObject({ total: 5, records: [{ resource: 'https://a.example/r0' }] })
    expect((await storage.discovery.list(page({ offset: 10 }))).records).toEqual([])
  })

  test('prune drops offers not seen for a while, then resources without offers', async () => {
    await storage.discovery.upsert(entry('https://a.example/old'))
    await storage.discovery.upsert(entry('https://a.example/both'))
    fixture.clock.now += 60_000
    await storage.discovery.upsert(
      entry('https://a.example/both', { offer: offer('1', { network: 'eip155:1' }) }),
    )
    expect(await storage.discovery.prune({ olderThanMs: 30_000 })).toBe(1)
    expect(await storage.discovery.get('https://a.example/old', 'http', 'GET')).toBeUndefined()
    expect((await storage.discovery.get('https://a.example/both', 'http', 'GET'))?.offers).toEqual([
      offer('1', { network: 'eip155:1' }),
    ])
  })

  test('concurrent upserts of one resource from two instances leave one row', async () => {
    const other = fixture.open()
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? storage : other).discovery.upsert(
          entry('https://a.example/x', { description: `v${i}` }),
        ),
      ),
    )
    const listed = await other.discovery.list(page())
    expect(listed.total).toBe(1)
    expect(listed.records[0]?.offers).toHaveLength(1)
  })

  test('rejects a page size out of range', async () => {
    const codes = await Promise.all(
      [page({ limit: 0 }), page({ limit: 1001 }), page({ offset: -1 })].map((options) =>
        storage.discovery.list(options).then(
          () => 'resolved',
          (error: unknown) => (isX402Error(error) ? error.code : 'other'),
        ),
      ),
    )
    expect(codes).toEqual(['invalid_config', 'invalid_config', 'invalid_config'])
  })
})

describe.each(ENGINES)('migration 4 on %s', (engine) => {
  let fixture: EngineFixture
  afterEach(() => fixture.cleanup())

  test('adds the catalog to a database at version 3, keeping its verification history', async () => {
    fixture = createEngineFixture(engine)
    const resolved = resolveStorageConfig(fixture.config)
    const old = resolved.engine === 'sqlite' ? openSqliteEngine(resolved) : openPostgresEngine(resolved)
    try {
      expect(await old.migrate(MIGRATIONS.slice(0, 3))).toEqual({ applied: [1, 2, 3], version: 3 })
    } finally {
      await old.close()
    }
    const storage = fixture.open()
    await storage.verifications.record({ paymentId: 'p1', stage: 'verify', result: 'valid' })
    expect(await storage.migrate()).toEqual({ applied: [4], version: 4 })
    expect((await storage.verifications.list({ paymentId: 'p1' })).records).toHaveLength(1)
    await storage.discovery.upsert(entry('https://a.example/x'))
    expect((await storage.discovery.list(page())).total).toBe(1)
  })
})
