import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type RouteConfig,
} from '@open402/core'
import { NextRequest } from 'next/server.js'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../core/test/cash-scheme.js'
import { createPaymentWrapper, type PaymentWrapperOptions } from './with-payment.js'

// These tests cover the wrapper's translation only, with core's test-only in-memory "cash" scheme; the
// real chain and a real `next` server are in test/next-app.test.ts and the conformance suite.

/** The type Next's generated route types check a `GET` export of `app/api/[city]/route.ts` against. */
type NextGet<TParams> = (
  request: NextRequest,
  context: { params: Promise<TParams> },
) => Promise<Response | undefined> | Response | undefined

const ROUTE: RouteConfig = {
  accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.10', payTo: 'shop' },
  description: 'Weather',
}

function setup(options?: PaymentWrapperOptions) {
  const cash = cashFacilitator({ alice: 100 })
  const server = createResourceServer({
    facilitator: createFacilitator({ schemes: [cash] }),
    schemes: [cashServer()],
  })
  const withPayment = createPaymentWrapper(server, options)
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  const probe = withPayment(ROUTE, () => new Response('never runs unpaid'))
  /** A NextRequest to `url` carrying a payment signed for the 402 of {@link ROUTE}. */
  const signedRequest = async (url: string) => {
    const unpaid = await probe(new NextRequest(url))
    const payload = await client.createPaymentPayload(
      decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? ''),
    )
    return new NextRequest(url, { headers: { 'PAYMENT-SIGNATURE': encodePaymentSignature(payload) } })
  }
  return { cash, withPayment, signedRequest }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createPaymentWrapper', () => {
  test('answers an unpaid request with 402 and PAYMENT-REQUIRED without running the handler', async () => {
    const { withPayment } = setup()
    const runs: string[] = []
    const GET = withPayment(ROUTE, async () => {
      runs.push('weather')
      return Response.json({ weather: 'sunny' })
    })
    const res = await GET(new NextRequest('http://shop.test/api/weather'))
    expect(res.status).toBe(402)
    const required = decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '')
    expect(required).toMatchObject({
      resource: { url: 'http://shop.test/api/weather', description: 'Weather' },
    })
    expect(required.accepts[0]).toMatchObject({ scheme: 'cash', amount: '10', payTo: 'shop' })
    expect(runs).toEqual([])
  })

  test("hands the request and Next's context to the handler unchanged and settles its response", async () => {
    const { withPayment, signedRequest, cash } = setup()
    const seen: unknown[] = []
    const GET: NextGet<{ city: string }> = withPayment(ROUTE, async (request: NextRequest, context) => {
      seen.push(request, context)
      const { city } = await context.params
      return Response.json({ city, weather: 'sunny' }, { headers: { 'x-handler': 'yes' } })
    })
    const request = await signedRequest('http://shop.test/api/oslo')
    const context = { params: Promise.resolve({ city: 'oslo' }) }
    const res = (await GET(request, context)) as Response
    expect(seen).toEqual([request, context])
    expect(seen[0]).toBe(request)
    expect(seen[1]).toBe(context)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ city: 'oslo', weather: 'sunny' })
    expect(res.headers.get('x-handler')).toBe('yes')
    expect(decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
      success: true,
      payer: 'alice',
    })
    expect(cash.balances.get('alice')).toBe(90n)
  })

  test('answers 500 JSON without the error, logs it and settles nothing when the handler throws', async () => {
    const { withPayment, signedRequest, cash } = setup()
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const failure = new Error('secret database password in stack')
    const GET = withPayment(ROUTE, async () => {
      throw failure
    })
    const res = await GET(await signedRequest('http://shop.test/api/weather'))
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'the route handler failed' })
    expect(text).not.toContain('secret')
    expect(res.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(logged).toHaveBeenCalledWith('@open402/next: the route handler threw', failure)
    expect(cash.balances.get('alice')).toBe(100n)
    expect(cash.settled).toEqual([])
  })

  test('answers 402 without the handler content when settlement fails', async () => {
    const { withPayment, signedRequest, cash } = setup()
    cash.behaviour.settleResult = { success: false, errorReason: 'insufficient_funds', transaction: '' }
    const GET = withPayment(ROUTE, async () =>
      Response.json({ weather: 'sunny' }, { headers: { 'x-handler': 'yes' } }),
    )
    const res = await GET(await signedRequest('http://shop.test/api/weather'))
    expect(res.status).toBe(402)
    expect(res.headers.get('x-handler')).toBeNull()
    expect(await res.text()).not.toContain('sunny')
    expect(decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
      success: false,
      errorReason: 'insufficient_funds',
    })
  })

  test('in settlement mode before, streams the body unbuffered and reports the payment even on a throw', async () => {
    const { withPayment, signedRequest, cash } = setup()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const before: RouteConfig = { ...ROUTE, settlement: 'before' }
    const STREAM = withPayment(before, async () => {
      // Open until cancelled: the first event can only be read if nothing waits for the end.
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode('data: tick 1\n\n')),
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    })
    const streamed = await STREAM(await signedRequest('http://shop.test/api/stream'))
    expect(streamed.status).toBe(200)
    expect(decodePaymentResponse(streamed.headers.get('PAYMENT-RESPONSE') ?? '').success).toBe(true)
    const reader = (streamed.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: tick 1\n\n')
    await reader.cancel()

    const THROWS = withPayment(before, async () => {
      throw new Error('handler exploded')
    })
    const thrown = await THROWS(await signedRequest('http://shop.test/api/throws'))
    expect(thrown.status).toBe(500)
    expect(decodePaymentResponse(thrown.headers.get('PAYMENT-RESPONSE') ?? '').success).toBe(true)
    expect(cash.balances.get('alice')).toBe(80n)
  })

  test('answers a CORS preflight when exported as OPTIONS, and never runs the handler for one', async () => {
    const preflight = () =>
      new NextRequest('http://shop.test/api/weather', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
      })
    const runs: string[] = []
    const handler = async () => {
      runs.push('weather')
      return Response.json({ weather: 'sunny' })
    }
    const OPTIONS = setup().withPayment(ROUTE, handler)
    const res = await OPTIONS(preflight())
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET')
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('PAYMENT-SIGNATURE')

    const withoutCors = setup({ cors: false }).withPayment(ROUTE, handler)
    const bare = await withoutCors(preflight())
    expect(bare.status).toBe(204)
    expect(bare.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(runs).toEqual([])
  })

  test('runs the handler unpaid, settling nothing, when the access option grants the request', async () => {
    const { withPayment, cash } = setup({
      access: (request) => (request.headers.get('x-member') === 'yes' ? 'grant' : undefined),
    })
    const GET = withPayment(ROUTE, async () => Response.json({ weather: 'sunny' }))
    const granted = await GET(
      new NextRequest('http://shop.test/api/weather', { headers: { 'x-member': 'yes' } }),
    )
    expect(granted.status).toBe(200)
    expect(await granted.json()).toEqual({ weather: 'sunny' })
    expect(granted.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(cash.balances.get('alice')).toBe(100n)
    expect((await GET(new NextRequest('http://shop.test/api/weather'))).status).toBe(402)
  })

  test('throws invalid_config naming the problem when the route is wrapped, not per request', () => {
    const { withPayment } = setup()
    const wrap = () =>
      withPayment({ accepts: { scheme: 'nope', network: CASH_NETWORK, price: '$1', payTo: 'shop' } }, () =>
        Response.json({}),
      )
    expect(wrap).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(/nope/) }),
    )
  })
})
