import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { isX402Error } from '../errors/x402-error.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { HttpPaymentHandlerOptions, PaymentOutcome, RoutesConfig } from '../index.js'
import type { PaymentPayload } from '../schemas/index.js'
import type { FacilitatorClient, SchemeServer } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'

const routes: RoutesConfig = {
  'GET /weather': {
    accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' },
    description: 'Weather',
    mimeType: 'application/json',
    extensions: { bazaar: { info: { input: { type: 'http', method: 'GET' } } } },
  },
  'POST /quote': {
    accepts: {
      scheme: 'cash',
      network: CASH_NETWORK,
      price: (request) => new URL(request.url).searchParams.get('p') ?? '1',
      payTo: 'shop',
    },
  },
}

function setup(
  options: Partial<HttpPaymentHandlerOptions> & {
    facilitator?: FacilitatorClient
    scheme?: SchemeServer
  } = {},
) {
  const cash = cashFacilitator({ alice: 1000, poor: 1 })
  const facilitator = options.facilitator ?? createFacilitator({ schemes: [cash] })
  const server = createResourceServer({ facilitator, schemes: [options.scheme ?? cashServer()] })
  const handler = createHttpPaymentHandler(server, { routes, ...options })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, server, handler, client }
}

function response(outcome: PaymentOutcome): Response {
  if (outcome.kind !== 'respond') throw new Error(`expected respond, got ${outcome.kind}`)
  return outcome.response
}

async function pay(
  ctx: ReturnType<typeof setup>,
  url = 'http://shop.test/weather',
  method = 'GET',
  edit?: (p: PaymentPayload) => PaymentPayload,
) {
  const unpaid = response(await ctx.handler.handle(new Request(url, { method })))
  const paymentRequired = decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
  let payload = await ctx.client.createPaymentPayload(paymentRequired)
  if (edit) payload = edit(payload)
  return ctx.handler.handle(
    new Request(url, { method, headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) } }),
  )
}

describe('unpaid requests', () => {
  test('returns 402 with PAYMENT-REQUIRED, the same JSON body, no-store and CORS headers', async () => {
    const { handler } = setup()
    const res = response(await handler.handle(new Request('http://shop.test/weather?city=Oslo')))
    expect(res.status).toBe(402)
    const header = decodePaymentRequired(res.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(header).toEqual({
      x402Version: 2,
      error: 'Payment required',
      resource: {
        url: 'http://shop.test/weather?city=Oslo',
        description: 'Weather',
        mimeType: 'application/json',
      },
      accepts: [
        {
          scheme: 'cash',
          network: CASH_NETWORK,
          amount: '25',
          asset: 'USD',
          payTo: 'shop',
          maxTimeoutSeconds: 300,
          extra: { unit: 'cent', vault: 'v1' },
        },
      ],
      extensions: { bazaar: { info: { input: { type: 'http', method: 'GET' } } } },
    })
    expect(await res.json()).toEqual(header)
    expect(res.headers.get('Content-Type')).toBe('application/json')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('PAYMENT-REQUIRED, PAYMENT-RESPONSE')
  })

  test('lets free routes through', async () => {
    const { handler } = setup()
    expect(await handler.handle(new Request('http://shop.test/other'))).toEqual({ kind: 'free' })
    expect(await handler.handle(new Request('http://shop.test/weather', { method: 'POST' }))).toEqual({
      kind: 'free',
    })
  })

  test('answers HEAD on a GET route with a 402 and the header but no body', async () => {
    const { handler } = setup()
    const res = response(await handler.handle(new Request('http://shop.test/weather', { method: 'HEAD' })))
    expect(res.status).toBe(402)
    expect(res.headers.get(PAYMENT_REQUIRED_HEADER)).toBeTruthy()
    expect(res.body).toBeNull()
  })

  test('matches the raw path given by the adapter', async () => {
    const { handler } = setup()
    const outcome = await handler.handle(new Request('http://shop.test/x'), { rawPath: '/x/..%2FWEATHER' })
    expect(response(outcome).status).toBe(402)
  })

  test('prices a static route once and reuses the encoded header; prices a dynamic route per request', async () => {
    const server = cashServer()
    let calls = 0
    const counting: SchemeServer = {
      ...server,
      price: (price, network) => {
        calls++
        return server.price(price, network)
      },
    }
    const { handler } = setup({ scheme: counting })
    const first = response(await handler.handle(new Request('http://shop.test/weather')))
    const second = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(second.headers.get(PAYMENT_REQUIRED_HEADER)).toBe(first.headers.get(PAYMENT_REQUIRED_HEADER))
    expect(calls).toBe(2) // once at startup validation, once for the first request
    const quote = response(
      await handler.handle(new Request('http://shop.test/quote?p=0.5', { method: 'POST' })),
    )
    expect(decodePaymentRequired(quote.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').accepts[0]?.amount).toBe(
      '50',
    )
  })

  test('answers a CORS preflight to a paid route with 204, allowing PAYMENT-SIGNATURE', async () => {
    const { handler } = setup({ cors: { origin: 'https://app.test' } })
    const preflight = new Request('http://shop.test/weather', {
      method: 'OPTIONS',
      headers: {
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'payment-signature, x-trace',
      },
    })
    const res = response(await handler.handle(preflight))
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://app.test')
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET')
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe('PAYMENT-SIGNATURE, Content-Type, x-trace')
    const other = new Request('http://shop.test/other', {
      method: 'OPTIONS',
      headers: { 'Access-Control-Request-Method': 'GET' },
    })
    expect(await handler.handle(other)).toEqual({ kind: 'free' })
  })
})

describe('paid requests', () => {
  test('verifies, then settles after the handler and adds PAYMENT-RESPONSE', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    expect(outcome.payment.payer).toBe('alice')
    expect(ctx.cash.settled).toHaveLength(0)
    const res = await outcome.settle(new Response('sunny', { status: 200, headers: { 'X-App': '1' } }))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('sunny')
    expect(res.headers.get('X-App')).toBe('1')
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')).toEqual({
      success: true,
      payer: 'alice',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
    })
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('PAYMENT-REQUIRED, PAYMENT-RESPONSE')
    expect(ctx.cash.balances.get('alice')).toBe(975n)
    // settle is idempotent per outcome
    expect(await outcome.settle(new Response('again'))).toBe(res)
    expect(ctx.cash.settled).toHaveLength(1)
  })

  test('adds PAYMENT-RESPONSE to the handler response itself when its headers are mutable', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    const handled = new Response('sunny', { status: 200 })
    const res = await outcome.settle(handled)
    expect(res).toBe(handled)
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '').success).toBe(true)
    expect(await res.text()).toBe('sunny')
  })

  test('copies a handler response whose headers are immutable (Response.redirect) to add PAYMENT-RESPONSE', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    const redirect = Response.redirect('http://shop.test/elsewhere', 302)
    const res = await outcome.settle(redirect)
    expect(res).not.toBe(redirect)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('http://shop.test/elsewhere')
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '').transaction).toBe(
      'cash-tx-1',
    )
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(redirect.headers.get(PAYMENT_RESPONSE_HEADER)).toBeNull()
  })

  test('does not settle when the handler fails', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    const failed = new Response('boom', { status: 500 })
    expect(await outcome.settle(failed)).toBe(failed)
    expect(ctx.cash.settled).toHaveLength(0)
    expect(ctx.cash.balances.get('alice')).toBe(1000n)
  })

  test.each([
    ['not base64', '***', 'invalid_payment_header', /not standard base64/],
    [
      'a V1 payload',
      Buffer.from(JSON.stringify({ x402Version: 1, scheme: 'exact', payload: {} })).toString('base64'),
      'invalid_x402_version',
      /x402Version 1/,
    ],
    [
      'a null accepted',
      Buffer.from(JSON.stringify({ x402Version: 2, accepted: null, payload: {} })).toString('base64'),
      'invalid_payment_header',
      /accepted/,
    ],
  ])('answers 400 to %s', async (_name, header, error, message) => {
    const { handler } = setup()
    const res = response(
      await handler.handle(
        new Request('http://shop.test/weather', { headers: { [PAYMENT_SIGNATURE_HEADER]: header } }),
      ),
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe(error)
    expect(body.message).toMatch(message)
    expect(body.message).not.toMatch(/ at /)
  })

  test('answers 402 payment_requirements_mismatch when accepted differs from every offer', async () => {
    const ctx = setup()
    const res = response(
      await pay(ctx, undefined, undefined, (p) => ({ ...p, accepted: { ...p.accepted, amount: '1' } })),
    )
    expect(res.status).toBe(402)
    expect(decodePaymentRequired(res.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
      'payment_requirements_mismatch',
    )
    const extra = response(
      await pay(ctx, undefined, undefined, (p) => ({
        ...p,
        accepted: { ...p.accepted, extra: { vault: 'v2', unit: 'cent' } },
      })),
    )
    expect(decodePaymentRequired(extra.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
      'payment_requirements_mismatch',
    )
  })

  test('answers 402 with the verify reason and message when the payment is invalid', async () => {
    const ctx = setup()
    ctx.client = createPaymentClient({ schemes: [cashClient('poor')] })
    const res = response(await pay(ctx))
    expect(res.status).toBe(402)
    expect(decodePaymentRequired(res.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
      'insufficient_funds',
    )
    expect(await res.json()).toMatchObject({
      error: 'insufficient_funds',
      message: 'poor has too little cash',
    })
  })

  test('answers 402 with PAYMENT-RESPONSE and no content when settlement fails or is pending', async () => {
    for (const [settleResult, reason] of [
      [{ success: false, errorReason: 'insufficient_funds', transaction: '' }, 'insufficient_funds'],
      [{ success: false, status: 'pending' as const, errorReason: undefined }, 'settlement_pending'],
    ] as const) {
      const ctx = setup()
      ctx.cash.behaviour.settleResult = settleResult
      const outcome = await pay(ctx)
      if (outcome.kind !== 'paid') throw new Error(outcome.kind)
      const res = await outcome.settle(new Response('secret'))
      expect(res.status).toBe(402)
      expect(decodePaymentRequired(res.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(reason)
      const settlement = decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')
      expect(settlement.success).toBe(false)
      if (reason === 'settlement_pending')
        expect(settlement).toMatchObject({ status: 'pending', transaction: 'cash-tx-1' })
      expect(await res.text()).not.toContain('secret')
    }
  })

  test('fails closed with 503 when the facilitator is unreachable', async () => {
    const down: FacilitatorClient = {
      supported: () => Promise.reject(new Error('ECONNREFUSED')),
      verify: () => Promise.reject(new Error('ECONNREFUSED')),
      settle: () => Promise.reject(new Error('ECONNREFUSED')),
    }
    const { handler } = setup({ facilitator: down })
    const res = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: 'facilitator_unavailable' })
  })

  test('fails closed with 503 when verify or settle throws', async () => {
    const inner = createFacilitator({ schemes: [cashFacilitator({ alice: 1000 })] })
    let failing: 'verify' | 'settle' | undefined
    const flaky: FacilitatorClient = {
      supported: () => inner.supported(),
      verify: (p, r) => (failing === 'verify' ? Promise.reject(new Error('timeout')) : inner.verify(p, r)),
      settle: (p, r) => (failing === 'settle' ? Promise.reject(new Error('timeout')) : inner.settle(p, r)),
    }
    const ctx = setup({ facilitator: flaky })
    failing = 'verify'
    const verifyFailed = response(await pay(ctx))
    expect(verifyFailed.status).toBe(503)
    failing = 'settle'
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    const res = await outcome.settle(new Response('secret'))
    expect(res.status).toBe(503)
    expect(await res.text()).not.toContain('secret')
  })
})

describe('configuration', () => {
  test.each([
    [
      { 'GET /x': { accepts: { scheme: 'card', network: CASH_NETWORK, price: '1', payTo: 'shop' } } },
      /route "GET \/x": no scheme server registered for card/,
    ],
    [
      { 'GET /y': { accepts: { scheme: 'cash', network: CASH_NETWORK, price: 'ten', payTo: 'shop' } } },
      /route "GET \/y": "ten" is not a valid price/,
    ],
    [
      { 'GET /z': { accepts: { scheme: 'cash', network: 'cash' as 'a:b', price: '1', payTo: 'shop' } } },
      /route "GET \/z": network "cash" is not a CAIP-2 id/,
    ],
    [{ 'GET /w': { accepts: [] } }, /route "GET \/w": accepts is empty/],
  ])('rejects invalid routes at startup, naming the route', (bad, message) => {
    const server = createResourceServer({
      facilitator: createFacilitator({ schemes: [] }),
      schemes: [cashServer()],
    })
    let error: unknown
    try {
      createHttpPaymentHandler(server, { routes: bad as RoutesConfig })
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toMatch(message)
  })
})
