import {
  createFacilitator,
  createHttpPaymentHandler,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type HttpPaymentHandler,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentPayload,
} from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../core/test/cash-scheme.js'
import { createStorageIdempotencyStore } from '../src/idempotency/storage-idempotency-store.js'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const ID = 'pay_11111111111111111111111111111111'
const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' } as const

describe.each(ENGINES)('storage idempotency store on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('putIfAbsent: one of many concurrent writers on two handles stores; the others read its value', async () => {
    const stores = [createStorageIdempotencyStore(storage), createStorageIdempotencyStore(fixture.open())]
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (stores[i % 2] ?? stores[0])?.putIfAbsent('k', { writer: i }, { ttlMs: 1000 }),
      ),
    )
    const winners = results.filter((result) => result?.stored)
    expect(winners).toHaveLength(1)
    const stored = await stores[1]?.get('k')
    for (const result of results) {
      if (result && !result.stored) expect(result.existing).toEqual(stored)
    }
  })

  test('compareAndSet, delete and expiry, in the namespace given', async () => {
    const store = createStorageIdempotencyStore(storage, { namespace: 'facilitator-ids' })
    await store.putIfAbsent('k', { state: 'pending', claim: 'a' }, { ttlMs: 1000 })
    expect(
      await store.compareAndSet('k', { state: 'pending', claim: 'b' }, { state: 'done' }, { ttlMs: 5000 }),
    ).toBe(false)
    expect(
      await store.compareAndSet('k', { state: 'pending', claim: 'a' }, { state: 'done' }, { ttlMs: 5000 }),
    ).toBe(true)
    expect((await storage.keyValue('facilitator-ids').get('k'))?.expiresAt).toBe(fixture.clock.now + 5000)
    expect(await storage.keyValue('payment-identifiers').get('k')).toBeUndefined()
    fixture.clock.now += 4999
    expect(await store.get('k')).toEqual({ value: { state: 'done' } })
    fixture.clock.now += 1
    expect(await store.get('k')).toBeUndefined()
    expect(await store.putIfAbsent('k', { state: 'again' }, { ttlMs: 10 })).toEqual({ stored: true })
    expect(await store.delete('k')).toBe(true)
    expect(await store.get('k')).toBeUndefined()
  })

  test('sweeps expired identifiers once every sweepEvery writes', async () => {
    const store = createStorageIdempotencyStore(storage, { sweepEvery: 3 })
    const entries = storage.keyValue('payment-identifiers')
    await store.putIfAbsent('old', 1, { ttlMs: 10 })
    fixture.clock.now += 10
    await store.putIfAbsent('a', 1, { ttlMs: 10_000 })
    await store.putIfAbsent('b', 1, { ttlMs: 10_000 })
    // The third write swept the expired entry: nothing is left to delete.
    expect(await entries.deleteExpired()).toBe(0)
    await store.putIfAbsent('old-2', 1, { ttlMs: 10 })
    fixture.clock.now += 10
    await store.putIfAbsent('c', 1, { ttlMs: 10_000 })
    // Two writes later no sweep has run yet.
    expect(await entries.deleteExpired()).toBe(1)
  })

  describe('two resource server instances sharing the database', () => {
    function instances() {
      const cash = cashFacilitator({ alice: 1000 })
      const facilitator = createFacilitator({ schemes: [cash] })
      const server = createResourceServer({ facilitator, schemes: [cashServer()] })
      const handler = (handle: Storage) =>
        createHttpPaymentHandler(server, {
          routes: { 'POST /orders': { accepts } },
          idempotency: { store: createStorageIdempotencyStore(handle), ttlMs: 60_000, waitMs: 30_000 },
        })
      const runs: string[] = []
      return { cash, a: handler(storage), b: handler(fixture.open()), runs }
    }
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    const url = 'http://shop.test/orders'

    async function payment(handler: HttpPaymentHandler, id = ID): Promise<PaymentPayload> {
      const unpaid = await handler.handle(new Request(url, { method: 'POST' }))
      if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
      const required = decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
      return client.createPaymentPayload(required, { paymentIdentifier: id })
    }
    async function send(handler: HttpPaymentHandler, runs: string[], paid: PaymentPayload, name: string) {
      const headers = { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(paid) }
      const outcome = await handler.handle(new Request(url, { method: 'POST', headers }))
      if (outcome.kind === 'respond') return outcome.response
      if (outcome.kind === 'free') throw new Error('free')
      runs.push(name)
      return outcome.settle(Response.json({ order: 42, by: name }, { status: 201 }))
    }

    test('instance B answers the same id and payment with instance A’s response: one settlement, one order', async () => {
      const { cash, a, b, runs } = instances()
      const paid = await payment(a)
      const first = await send(a, runs, paid, 'a')
      expect(first.status).toBe(201)
      const replayed = await send(b, runs, paid, 'b')
      expect(replayed.status).toBe(201)
      expect(await replayed.json()).toEqual({ order: 42, by: 'a' })
      expect(replayed.headers.get(PAYMENT_RESPONSE_HEADER)).toBe(first.headers.get(PAYMENT_RESPONSE_HEADER))
      expect(runs).toEqual(['a'])
      expect(cash.settled).toHaveLength(1)
    })

    test('the same payment sent to both instances at once settles once and both get the same answer', async () => {
      const { cash, a, b, runs } = instances()
      const paid = await payment(a)
      const [fromA, fromB] = await Promise.all([send(a, runs, paid, 'a'), send(b, runs, paid, 'b')])
      expect(runs).toHaveLength(1)
      const bodies = [await fromA.json(), await fromB.json()]
      expect(bodies[0]).toEqual(bodies[1])
      expect(decodePaymentResponse(fromB.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')).toMatchObject({
        success: true,
        transaction: 'cash-tx-1',
      })
      expect(cash.settled).toHaveLength(1)
    })

    test('another payment with the same id gets 409 on the other instance; after ttlMs the id is free', async () => {
      const { cash, a, b, runs } = instances()
      expect((await send(a, runs, await payment(a), 'a')).status).toBe(201)
      const conflict = await send(b, runs, await payment(b), 'b')
      expect(conflict.status).toBe(409)
      expect(await conflict.json()).toMatchObject({ error: 'payment_identifier_conflict' })
      fixture.clock.now += 60_000
      expect((await send(b, runs, await payment(b), 'b')).status).toBe(201)
      expect(cash.settled).toHaveLength(2)
    })
  })
})
