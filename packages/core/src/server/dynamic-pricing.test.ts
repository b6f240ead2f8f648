import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { PaymentOption, PaymentOutcome, RoutesConfig } from '../index.js'
import type { PaymentRequired } from '../schemas/index.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'

// Prices (and payees) computed from the request: query, header, body, time, path. The 402 and the paid
// retry each run the computation, and the retry must echo exactly the price of that moment.

const cash = (price: PaymentOption['price'], payTo: PaymentOption['payTo'] = 'shop'): PaymentOption => ({
  scheme: 'cash',
  network: CASH_NETWORK,
  price,
  payTo,
})

function setup(routes: RoutesConfig) {
  const ledger = cashFacilitator({ alice: 100_000 })
  const inner = createFacilitator({ schemes: [ledger] })
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
  const handler = createHttpPaymentHandler(server, { routes })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { ledger, calls, handler, client }
}

function respond(outcome: PaymentOutcome): Response {
  if (outcome.kind !== 'respond') throw new Error(`expected respond, got ${outcome.kind}`)
  return outcome.response
}

function required(response: Response): PaymentRequired {
  return decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
}

/** The amount and payTo of the single offer a request gets in its 402. */
async function offer(ctx: ReturnType<typeof setup>, request: Request) {
  const res = respond(await ctx.handler.handle(request))
  expect(res.status).toBe(402)
  const accepted = required(res).accepts[0]
  return { amount: accepted?.amount, payTo: accepted?.payTo }
}

/** Signs the 402 of `make()` and retries with a fresh `make()` carrying PAYMENT-SIGNATURE. */
async function payOnce(
  ctx: ReturnType<typeof setup>,
  make: (headers?: Record<string, string>) => Request,
  between?: () => void,
) {
  const unpaid = respond(await ctx.handler.handle(make()))
  const payload = await ctx.client.createPaymentPayload(required(unpaid))
  between?.()
  return ctx.handler.handle(make({ [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) }))
}

describe('dynamic prices', () => {
  test('prices by query parameter, per request', async () => {
    const ctx = setup({
      'GET /report': { accepts: cash((r) => `$${new URL(r.url).searchParams.get('pages') ?? '1'}`) },
    })
    expect((await offer(ctx, new Request('http://shop.test/report?pages=3'))).amount).toBe('300')
    expect((await offer(ctx, new Request('http://shop.test/report'))).amount).toBe('100')
  })

  test('prices by header (a discount for a known identity)', async () => {
    const members = new Set(['key-alice'])
    const ctx = setup({
      'GET /data': {
        accepts: cash((r) => (members.has(r.headers.get('x-api-key') ?? '') ? '$0.50' : '$1')),
      },
    })
    const member = new Request('http://shop.test/data', { headers: { 'x-api-key': 'key-alice' } })
    expect((await offer(ctx, member)).amount).toBe('50')
    expect((await offer(ctx, new Request('http://shop.test/data'))).amount).toBe('100')
  })

  test('prices by JSON body read from a clone, leaving the body for the handler and the paid retry', async () => {
    const perToken = (r: Request) =>
      r
        .clone()
        .json()
        .then((body: { maxTokens: number }) => ({ amount: String(body.maxTokens), asset: 'USD' }))
    const ctx = setup({ 'POST /complete': { accepts: cash(perToken) } })
    const make = (headers: Record<string, string> = {}) =>
      new Request('http://shop.test/complete', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ maxTokens: 42 }),
      })
    const unpaid = make()
    expect((await offer(ctx, unpaid)).amount).toBe('42')
    expect(unpaid.bodyUsed).toBe(false)
    expect(await unpaid.json()).toEqual({ maxTokens: 42 })

    const outcome = await payOnce(ctx, make)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    expect(outcome.payment.requirements.amount).toBe('42')
    const res = await outcome.settle(new Response('done'))
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '').success).toBe(true)
    expect(ctx.ledger.balances.get('alice')).toBe(100_000n - 42n)
  })

  test('prices by time (surge) with the clock the application controls', async () => {
    let hour = 9
    const ctx = setup({ 'GET /ride': { accepts: cash(() => (hour >= 17 && hour < 19 ? '$2' : '$1')) } })
    expect((await offer(ctx, new Request('http://shop.test/ride'))).amount).toBe('100')
    hour = 18
    expect((await offer(ctx, new Request('http://shop.test/ride'))).amount).toBe('200')
  })

  test('computes payTo from the request (a seller id in the path)', async () => {
    const ctx = setup({
      'GET /sellers/:id/item': {
        accepts: cash('$1', (r) => `seller-${new URL(r.url).pathname.split('/')[2]}`),
      },
    })
    expect(await offer(ctx, new Request('http://shop.test/sellers/7/item'))).toEqual({
      amount: '100',
      payTo: 'seller-7',
    })
    const outcome = await payOnce(
      ctx,
      (headers) => new Request('http://shop.test/sellers/7/item', { headers }),
    )
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    expect(outcome.payment.requirements.payTo).toBe('seller-7')
  })

  test('answers 500 invalid_payment_requirements when a payTo function returns no address', async () => {
    const ctx = setup({ 'GET /x': { accepts: cash('$1', () => '') } })
    const res = respond(await ctx.handler.handle(new Request('http://shop.test/x')))
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: 'invalid_payment_requirements' })
  })
})

describe('a price that moves between the 402 and the paid retry', () => {
  const surging = () => {
    let price = '$1'
    const ctx = setup({ 'GET /ride': { accepts: cash(() => price) } })
    const make = (headers?: Record<string, string>) => new Request('http://shop.test/ride', { headers })
    return { ctx, make, setPrice: (next: string) => (price = next) }
  }

  test('a risen price gets a fresh 402 payment_requirements_mismatch with the new price; nothing is verified or settled', async () => {
    const { ctx, make, setPrice } = surging()
    const res = respond(await payOnce(ctx, make, () => setPrice('$2')))
    expect(res.status).toBe(402)
    const fresh = required(res)
    expect(fresh.error).toBe('payment_requirements_mismatch')
    expect(fresh.accepts[0]?.amount).toBe('200')
    expect(ctx.calls).toEqual({ verify: 0, settle: 0 })
    expect(ctx.ledger.balances.get('alice')).toBe(100_000n)

    // The client pays the new price from the fresh 402.
    const payload = await ctx.client.createPaymentPayload(fresh)
    const paid = await ctx.handler.handle(
      make({ [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) }),
    )
    if (paid.kind !== 'paid') throw new Error(paid.kind)
    await paid.settle(new Response('ok'))
    expect(ctx.ledger.balances.get('alice')).toBe(100_000n - 200n)
  })

  test('a fallen price also gets a fresh 402 (exact match: the client pays the current price, never another)', async () => {
    const { ctx, make, setPrice } = surging()
    const res = respond(await payOnce(ctx, make, () => setPrice('$0.50')))
    expect(res.status).toBe(402)
    expect(required(res)).toMatchObject({
      error: 'payment_requirements_mismatch',
      accepts: [{ amount: '50' }],
    })
    expect(ctx.calls).toEqual({ verify: 0, settle: 0 })
  })

  test('an unchanged price verifies and settles once', async () => {
    const { ctx, make } = surging()
    const outcome = await payOnce(ctx, make)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    await outcome.settle(new Response('ok'))
    expect(ctx.calls).toEqual({ verify: 1, settle: 1 })
    expect(ctx.ledger.balances.get('alice')).toBe(100_000n - 100n)
  })
})
