import { declareDiscovery, type PaymentPayload, type PaymentRequirements } from '@open402/core'
import { afterEach, expect, test } from 'vitest'
import { createEngineFixture, type EngineFixture } from '../../storage/test/engines.js'
import { createDiscoveryRecorder } from '../src/discovery/discovery-recorder.js'
import type { DiscoveryStore } from '../src/discovery/discovery-store.js'
import { createUsdDecimals } from '../src/discovery/usd-assets.js'
import { createFacilitatorMetrics } from '../src/facilitator-metrics.js'
import { createDrain } from '../src/http/drain.js'
import { captureLogs } from './log-capture.js'

// The recorder against a real SQLite catalog: what happens to writes that fail or back up.

const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: 'eip155:8453',
  amount: '1000',
  asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
}

function payment(path: string): PaymentPayload {
  return {
    x402Version: 2,
    resource: { url: `https://api.example.com${path}` },
    accepted: requirements,
    payload: {},
    extensions: { bazaar: declareDiscovery({ method: 'GET', description: `The ${path} endpoint` }) },
  }
}

let fixture: EngineFixture
afterEach(() => fixture.cleanup())

function setup(options: { maxPending?: number; concurrency?: number } = {}) {
  fixture = createEngineFixture('sqlite')
  const logs = captureLogs()
  const metrics = createFacilitatorMetrics({ processMetrics: false })
  const drain = createDrain()
  let storage = fixture.open()
  // Writes go to whichever handle is current, so a test can close the database under the recorder.
  const catalog: DiscoveryStore = {
    upsert: (entry, upsertOptions) => storage.discovery.upsert(entry, upsertOptions),
    list: (query) => storage.discovery.list(query),
  }
  const recorder = createDiscoveryRecorder({
    catalog,
    usdDecimals: createUsdDecimals(),
    logger: logs.logger,
    metrics,
    drain,
    ...options,
  })
  const counted = async (result: string) => {
    const text = await metrics.registry.metrics()
    return Number(new RegExp(`open402_discovery_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0)
  }
  return {
    recorder,
    logs,
    drain,
    counted,
    catalog,
    get storage() {
      return storage
    },
    reopen() {
      storage = fixture.open()
    },
  }
}

test('a failed write is logged and counted, and the next payment of the resource writes it', async () => {
  const ctx = setup()
  await ctx.storage.migrate()
  await ctx.storage.close()
  expect(ctx.recorder.observe(payment('/weather'), requirements, true)).toEqual({ status: 'processing' })
  expect(await ctx.drain.drain(10_000)).toBe(true)
  expect(await ctx.counted('error')).toBe(1)
  expect(ctx.logs.lines).toContainEqual(
    expect.objectContaining({
      msg: 'discovery catalog write failed',
      resource: 'https://api.example.com/weather',
      operation: 'GET',
    }),
  )

  ctx.reopen()
  expect(ctx.recorder.observe(payment('/weather'), requirements, true)).toEqual({ status: 'processing' })
  await ctx.drain.drain(10_000)
  expect(await ctx.counted('cataloged')).toBe(1)
  const page = await ctx.catalog.list({ limit: 20, offset: 0 })
  expect(page.records.map((record) => [record.resource, record.description])).toEqual([
    ['https://api.example.com/weather', 'The /weather endpoint'],
  ])
  // Seen again, unchanged: not written again.
  expect(ctx.recorder.observe(payment('/weather'), requirements, true)).toEqual({ status: 'success' })
  expect(await ctx.counted('unchanged')).toBe(1)
})

test('past maxPending waiting writes, new entries are dropped, counted and logged', async () => {
  const ctx = setup({ maxPending: 1, concurrency: 1 })
  await ctx.storage.migrate()
  expect(ctx.recorder.observe(payment('/a'), requirements, true)).toEqual({ status: 'processing' })
  expect(ctx.recorder.observe(payment('/b'), requirements, true)).toEqual({ status: 'processing' })
  expect(ctx.recorder.observe(payment('/c'), requirements, true)).toEqual({
    status: 'rejected',
    rejectedReason: 'the catalog is busy; the resource will be cataloged on a later payment',
  })
  await ctx.drain.drain(10_000)
  expect([await ctx.counted('cataloged'), await ctx.counted('dropped')]).toEqual([2, 1])
  expect(
    ctx.logs.lines.some(
      (line) => line.msg === 'discovery catalog writes are backing up; dropping new entries',
    ),
  ).toBe(true)
  expect((await ctx.catalog.list({ limit: 20, offset: 0 })).total).toBe(2)
})

test('a payment without a bazaar declaration is not looked at', () => {
  const ctx = setup()
  const plain: PaymentPayload = { x402Version: 2, accepted: requirements, payload: {} }
  expect(ctx.recorder.observe(plain, requirements, true)).toBeUndefined()
  expect(ctx.drain.inFlight).toBe(0)
})
