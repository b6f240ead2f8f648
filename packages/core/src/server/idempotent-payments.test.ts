import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../extensions/idempotency-store.js'
import {
  declarePaymentIdentifier,
  PAYMENT_IDENTIFIER,
  PAYMENT_IDENTIFIER_SCHEMA,
} from '../extensions/payment-identifier.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { RoutesConfig } from '../http/types.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import type { IdempotencyOptions } from './idempotent-payments.js'

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' } as const
const routes: RoutesConfig = {
  'GET /report': { accepts },
  'POST /orders': {
    accepts,
    extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifier({ required: true }) },
  },
  'GET /stream': { accepts, settlement: 'before' },
}
const ID = 'pay_0123456789abcdef0123456789abcdef'

function setup(
  idempotency: Partial<IdempotencyOptions> | false = {},
  facilitatorOptions: { idempotency?: { store: IdempotencyStore } } = {},
) {
  const clock = { now: 1_700_000_000_000 }
  const store = createMemoryIdempotencyStore({ now: () => clock.now })
  const cash = cashFacilitator({ alice: 1000 })
  const inner = createFacilitator({ schemes: [cash], ...facilitatorOptions })
  const calls = { verify: 0, settle: 0 }
  const facilitator: FacilitatorClient = {
    supported: () => inner.supported(),
    verify: (p, r) => {
      calls.verify++
      return inner.verify(p, r)
    },
    settle: (p, r) => {
      calls.settle++
      return inner.settle(p, r)
    },
  }
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  const handler = createHttpPaymentHandler(server, {
    routes,
    ...(idempotency === false ? {} : { idempotency: { store, ...idempotency } }),
  })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  const runs: string[] = []
  return { clock, store, cash, calls, handler, client, runs }
}
type Setup = ReturnType<typeof setup>

/** A signed payment for `path`, built from the route's 402 (`id` fixes the payment identifier). */
async function paymentFor(ctx: Setup, path: string, method = 'GET', id?: string): Promise<PaymentPayload> {
  const unpaid = await ctx.handler.handle(new Request(`http://shop.test${path}`, { method }))
  if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
  const required = decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
  return ctx.client.createPaymentPayload(required, id === undefined ? {} : { paymentIdentifier: id })
}

/** What an adapter does: answer `respond`, or run the handler and send `settle`'s answer. */
async function send(
  ctx: Setup,
  path: string,
  payment: PaymentPayload | undefined,
  options: { method?: string; handler?: () => Response } = {},
): Promise<Response> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = payment
    ? { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payment) }
    : {}
  const outcome = await ctx.handler.handle(new Request(`http://shop.test${path}`, { method, headers }))
  if (outcome.kind === 'respond') return outcome.response
  ctx.runs.push(`${method} ${path}`)
  const handled = options.handler?.() ?? Response.json({ report: 'sunny', run: ctx.runs.length })
  if (outcome.kind === 'free') return handled
  return outcome.settle(handled)
}

const settlementOf = (response: Response) =>
  decodePaymentResponse(response.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')

describe('the 402 and the client', () => {
  test('every paid route declares payment-identifier and the client adds a fresh pay_ id', async () => {
    const ctx = setup()
    const unpaid = await ctx.handler.handle(new Request('http://shop.test/report'))
    if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
    const required = decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(required.extensions).toEqual({
      [PAYMENT_IDENTIFIER]: { info: { required: false }, schema: PAYMENT_IDENTIFIER_SCHEMA },
    })
    const first = await ctx.client.createPaymentPayload(required)
    const second = await ctx.client.createPaymentPayload(required)
    const idOf = (payment: PaymentPayload) =>
      (payment.extensions?.[PAYMENT_IDENTIFIER] as { info?: { id?: string } } | undefined)?.info?.id
    expect(first.extensions?.[PAYMENT_IDENTIFIER]).toEqual({
      info: { required: false, id: idOf(first) },
      schema: PAYMENT_IDENTIFIER_SCHEMA,
    })
    expect(idOf(first)).toMatch(/^pay_[0-9a-f]{32}$/)
    expect(idOf(second)).not.toBe(idOf(first))
  })

  test('a route that declares the extension itself keeps its declaration (required)', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/orders', 'POST', ID)
    expect(payment.extensions?.[PAYMENT_IDENTIFIER]).toMatchObject({ info: { required: true, id: ID } })
  })
})

describe('deduplication by payment identifier', () => {
  test('the same id and payload get the first answer again: no verify, no settle, no handler run', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    const first = await send(ctx, '/report', payment)
    expect(first.status).toBe(200)
    const firstBody = await first.text()
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })

    const again = await send(ctx, '/report', payment)
    expect(again.status).toBe(200)
    expect(await again.text()).toBe(firstBody)
    expect(again.headers.get(PAYMENT_RESPONSE_HEADER)).toBe(first.headers.get(PAYMENT_RESPONSE_HEADER))
    expect(again.headers.get('content-type')).toBe('application/json')
    expect(settlementOf(again)).toMatchObject({ success: true, transaction: 'cash-tx-1' })
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
    expect(ctx.runs).toEqual(['GET /report'])
    expect(ctx.cash.balances.get('alice')).toBe(975n)
  })

  test('the same id with a different payment gets 409 payment_identifier_conflict', async () => {
    const ctx = setup()
    expect((await send(ctx, '/report', await paymentFor(ctx, '/report', 'GET', ID))).status).toBe(200)
    const other = await paymentFor(ctx, '/report', 'GET', ID)
    const conflict = await send(ctx, '/report', other)
    expect(conflict.status).toBe(409)
    expect(await conflict.json()).toEqual({
      error: 'payment_identifier_conflict',
      message: `payment identifier ${ID} was already used with a different payment or request`,
    })
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
  })

  test('the same payment sent to another URL is a conflict, not a replay', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    expect((await send(ctx, '/report', payment)).status).toBe(200)
    expect((await send(ctx, '/report?city=Oslo', payment)).status).toBe(409)
  })

  test('a route that requires an id answers 400 without one, and 400 for a malformed one', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/orders', 'POST')
    const { [PAYMENT_IDENTIFIER]: _dropped, ...otherExtensions } = payment.extensions ?? {}
    const missing = await send(
      ctx,
      '/orders',
      { ...payment, extensions: otherExtensions },
      { method: 'POST' },
    )
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ error: 'payment_identifier_required' })
    const malformed = {
      ...payment,
      extensions: { [PAYMENT_IDENTIFIER]: { info: { required: true, id: 'short' } } },
    }
    const invalid = await send(ctx, '/orders', malformed, { method: 'POST' })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ error: 'invalid_payment_identifier' })
    expect(ctx.calls).toEqual({ verify: 0, settle: 0 })
  })

  test('a duplicate of a request still in flight gets 409 payment_identifier_in_progress with Retry-After', async () => {
    const ctx = setup({ waitMs: 0 })
    const payment = await paymentFor(ctx, '/report')
    const header = { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payment) }
    const first = await ctx.handler.handle(new Request('http://shop.test/report', { headers: header }))
    expect(first.kind).toBe('paid')
    const duplicate = await send(ctx, '/report', payment)
    expect(duplicate.status).toBe(409)
    expect(duplicate.headers.get('retry-after')).toBe('1')
    expect(await duplicate.json()).toMatchObject({ error: 'payment_identifier_in_progress' })
    if (first.kind !== 'paid') throw new Error(first.kind)
    expect((await first.settle(Response.json({ report: 'sunny' }))).status).toBe(200)
    expect((await send(ctx, '/report', payment)).status).toBe(200)
    expect(ctx.calls.settle).toBe(1)
  })

  test('a duplicate that arrives while the first is in flight waits for its answer', async () => {
    const ctx = setup({ waitMs: 60_000 })
    const payment = await paymentFor(ctx, '/report')
    const header = { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payment) }
    const first = await ctx.handler.handle(new Request('http://shop.test/report', { headers: header }))
    if (first.kind !== 'paid') throw new Error(first.kind)
    const duplicate = send(ctx, '/report', payment)
    const sent = await first.settle(Response.json({ report: 'first' }))
    expect(await sent.json()).toEqual({ report: 'first' })
    const replayed = await duplicate
    expect(replayed.status).toBe(200)
    expect(await replayed.json()).toEqual({ report: 'first' })
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
  })

  test('a refused payment frees its id: nothing is remembered', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report', 'GET', ID)
    ctx.cash.balances.set('alice', 0n)
    const refused = await send(ctx, '/report', payment)
    expect(refused.status).toBe(402)
    ctx.cash.balances.set('alice', 1000n)
    // The same id with another payment is not a conflict: the refused one left nothing behind.
    const retry = await send(ctx, '/report', await paymentFor(ctx, '/report', 'GET', ID))
    expect(retry.status).toBe(200)
    expect(ctx.calls.settle).toBe(1)
  })

  test('a handler that fails settles nothing and frees the id', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    const failed = await send(ctx, '/report', payment, {
      handler: () => Response.json({ error: 'db' }, { status: 500 }),
    })
    expect(failed.status).toBe(500)
    const retry = await send(ctx, '/report', payment)
    expect(retry.status).toBe(200)
    expect(ctx.runs).toHaveLength(2)
    expect(ctx.calls).toEqual({ verify: 2, settle: 1 })
  })

  test('a settled id expires after ttlMs: the same payment is then processed again (and refused as spent)', async () => {
    const ctx = setup({ ttlMs: 60_000 })
    const payment = await paymentFor(ctx, '/report')
    expect((await send(ctx, '/report', payment)).status).toBe(200)
    ctx.clock.now += 59_999
    expect((await send(ctx, '/report', payment)).status).toBe(200)
    expect(ctx.calls.verify).toBe(1)
    ctx.clock.now += 1
    const expired = await send(ctx, '/report', payment)
    expect(expired.status).toBe(402)
    expect(decodePaymentRequired(expired.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
      'invalid_transaction_state',
    )
    expect(ctx.calls).toEqual({ verify: 2, settle: 1 })
  })

  test('a store that is down answers 503 idempotency_store_unavailable and charges nothing', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    ctx.store.putIfAbsent = () => Promise.reject(new Error('connection refused'))
    const down = await send(ctx, '/report', payment)
    expect(down.status).toBe(503)
    expect(await down.json()).toEqual({
      error: 'idempotency_store_unavailable',
      message: 'the idempotency store is unavailable, nothing was charged: connection refused',
    })
    expect(ctx.calls).toEqual({ verify: 0, settle: 0 })
    expect(ctx.runs).toEqual([])
  })

  test('a 204 without a body is replayed as a 204 without a body', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    const noContent = () => new Response(null, { status: 204, headers: { 'x-kept': 'yes' } })
    expect((await send(ctx, '/report', payment, { handler: noContent })).status).toBe(204)
    const again = await send(ctx, '/report', payment, { handler: noContent })
    expect([again.status, again.body, again.headers.get('x-kept')]).toEqual([204, null, 'yes'])
    expect(ctx.runs).toHaveLength(1)
  })

  test('a payment without an id on an optional route is processed as usual', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/report')
    const { [PAYMENT_IDENTIFIER]: _dropped, ...rest } = payment.extensions ?? {}
    const response = await send(ctx, '/report', { ...payment, extensions: rest })
    expect(response.status).toBe(200)
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
  })
})

describe('answers that are not stored whole', () => {
  test('a before route remembers the settlement: a retry runs the handler again with the same PAYMENT-RESPONSE', async () => {
    const ctx = setup()
    const payment = await paymentFor(ctx, '/stream')
    const first = await send(ctx, '/stream', payment, { handler: () => new Response('tokens') })
    const again = await send(ctx, '/stream', payment, { handler: () => new Response('tokens again') })
    expect(await again.text()).toBe('tokens again')
    expect(settlementOf(again)).toEqual(settlementOf(first))
    expect(ctx.runs).toEqual(['GET /stream', 'GET /stream'])
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
  })

  test('a body over maxBodyBytes is sent whole but not stored: a retry runs the handler, unsettled', async () => {
    const ctx = setup({ maxBodyBytes: 8 })
    const payment = await paymentFor(ctx, '/report')
    const big = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('0123456'))
            controller.enqueue(new TextEncoder().encode('789abc'))
            controller.close()
          },
        }),
      )
    const first = await send(ctx, '/report', payment, { handler: big })
    expect(await first.text()).toBe('0123456789abc')
    const again = await send(ctx, '/report', payment, { handler: big })
    expect(await again.text()).toBe('0123456789abc')
    expect(settlementOf(again)).toEqual(settlementOf(first))
    expect(ctx.runs).toHaveLength(2)
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
  })
})

describe('without a store on the resource server', () => {
  test('a route that declares the extension checks ids; the facilitator deduplicates and its conflict is a 409', async () => {
    const facilitatorStore = createMemoryIdempotencyStore()
    const ctx = setup(false, { idempotency: { store: facilitatorStore } })
    const payment = await paymentFor(ctx, '/orders', 'POST', ID)
    const first = await send(ctx, '/orders', payment, { method: 'POST' })
    expect(first.status).toBe(200)
    // A retry reaches the facilitator, which answers the first verify and settle again.
    const again = await send(ctx, '/orders', payment, { method: 'POST' })
    expect(again.status).toBe(200)
    expect(settlementOf(again)).toEqual(settlementOf(first))
    expect(ctx.cash.settled).toHaveLength(1)
    const conflict = await send(ctx, '/orders', await paymentFor(ctx, '/orders', 'POST', ID), {
      method: 'POST',
    })
    expect(conflict.status).toBe(409)
    expect(await conflict.json()).toMatchObject({ error: 'payment_identifier_conflict' })
    const unpaid = await ctx.handler.handle(new Request('http://shop.test/report'))
    if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
    expect(
      decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').extensions,
    ).toBeUndefined()
  })
})
