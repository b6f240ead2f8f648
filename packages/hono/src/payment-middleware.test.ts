import {
  type Caip2,
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type SchemeClient,
  type SchemeFacilitator,
  type SchemeServer,
} from '@open402/core'
import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { paymentMiddleware } from './payment-middleware.js'

// A test-only in-memory "cash" scheme whose facilitator keeps balances in a Map. It is acceptable here
// because these tests cover the middleware's HTTP behaviour only; real schemes are tested on the devnet.
const NETWORK = 'cash:test' as Caip2
const cashServer: SchemeServer = {
  scheme: 'cash',
  network: 'cash:*',
  price: (price) =>
    typeof price === 'object'
      ? price
      : { amount: String(Math.round(Number(String(price).replace('$', '')) * 100)), asset: 'USD' },
}
const cashClient = (payer: string): SchemeClient => ({
  scheme: 'cash',
  network: 'cash:*',
  payer: () => payer,
  createPayload: async (req) => ({
    from: payer,
    amount: req.amount,
    to: req.payTo,
    nonce: crypto.randomUUID(),
  }),
})
function cashFacilitator(balances: Map<string, number>): SchemeFacilitator & { fail?: boolean } {
  let tx = 0
  const self: SchemeFacilitator & { fail?: boolean } = {
    scheme: 'cash',
    network: 'cash:*',
    kinds: () => [{ x402Version: 2, scheme: 'cash', network: NETWORK }],
    signers: () => ({}),
    async verify(payload, req) {
      const p = payload.payload as { from: string; amount: string; to: string }
      if (p.to !== req.payTo || p.amount !== req.amount)
        return { isValid: false, invalidReason: 'invalid_payload', payer: p.from }
      if ((balances.get(p.from) ?? 0) < Number(req.amount))
        return { isValid: false, invalidReason: 'insufficient_funds', payer: p.from }
      return { isValid: true, payer: p.from }
    },
    async settle(payload, req) {
      const p = payload.payload as { from: string }
      if (self.fail)
        return { success: false, errorReason: 'insufficient_funds', transaction: '', network: req.network }
      balances.set(p.from, (balances.get(p.from) ?? 0) - Number(req.amount))
      return { success: true, transaction: `tx-${++tx}`, network: req.network, payer: p.from }
    },
  }
  return self
}

function setup() {
  const balances = new Map([['alice', 100]])
  const cash = cashFacilitator(balances)
  const server = createResourceServer({
    facilitator: createFacilitator({ schemes: [cash] }),
    schemes: [cashServer],
  })
  const app = new Hono()
  app.use(
    paymentMiddleware(server, {
      routes: {
        'GET /weather': {
          accepts: { scheme: 'cash', network: NETWORK, price: '$0.10', payTo: 'shop' },
          description: 'Weather',
        },
        'POST /fail': { accepts: { scheme: 'cash', network: NETWORK, price: '$0.10', payTo: 'shop' } },
      },
    }),
  )
  app.get('/weather', (c) => c.json({ forecast: 'sunny' }, 200, { 'X-Secret': 'content' }))
  app.post('/fail', () => {
    throw new Error('handler crashed')
  })
  app.get('/free', (c) => c.text('free'))
  app.onError((_error, c) => c.text('handler failed', 500))
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  const signed = async (path: string, method = 'GET') => {
    const unpaid = await app.request(path, { method })
    const payload = await client.createPaymentPayload(
      decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? ''),
    )
    return app.request(path, { method, headers: { 'PAYMENT-SIGNATURE': encodePaymentSignature(payload) } })
  }
  return { app, balances, cash, signed }
}

describe('paymentMiddleware for hono', () => {
  test('returns 402 with PAYMENT-REQUIRED when no signature is sent', async () => {
    const { app } = setup()
    const res = await app.request('http://shop.test/weather')
    expect(res.status).toBe(402)
    const required = decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '')
    expect(required).toMatchObject({
      error: 'Payment required',
      resource: { url: 'http://shop.test/weather', description: 'Weather' },
    })
    expect(required.accepts[0]).toMatchObject({ scheme: 'cash', amount: '10', payTo: 'shop' })
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('PAYMENT-REQUIRED, PAYMENT-RESPONSE')
  })

  test('serves the paid content with PAYMENT-RESPONSE after settling', async () => {
    const { signed, balances } = setup()
    const res = await signed('/weather')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ forecast: 'sunny' })
    expect(decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
      success: true,
      transaction: 'tx-1',
      payer: 'alice',
    })
    expect(balances.get('alice')).toBe(90)
  })

  test('does not charge when the handler fails', async () => {
    const { signed, balances } = setup()
    const res = await signed('/fail', 'POST')
    expect(res.status).toBe(500)
    expect(res.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(balances.get('alice')).toBe(100)
  })

  test('answers 402 without the handler content or headers when settlement fails', async () => {
    const { signed, cash } = setup()
    cash.fail = true
    const res = await signed('/weather')
    expect(res.status).toBe(402)
    expect(res.headers.get('X-Secret')).toBeNull()
    expect(await res.text()).not.toContain('sunny')
    expect(decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
      success: false,
      errorReason: 'insufficient_funds',
    })
  })

  test('passes free routes through and fails closed on path tricks', async () => {
    const { app } = setup()
    const free = await app.request('/free')
    expect([free.status, await free.text()]).toEqual([200, 'free'])
    for (const path of ['/WEATHER', '/weather/', '//weather', '/%77eather', '/x/..%2Fweather']) {
      expect((await app.request(path)).status).toBe(402)
    }
    expect((await app.request('/weather', { method: 'HEAD' })).status).toBe(402)
  })

  test('answers 400 to a malformed PAYMENT-SIGNATURE', async () => {
    const { app } = setup()
    const res = await app.request('/weather', { headers: { 'PAYMENT-SIGNATURE': 'not-base64!' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_payment_header' })
  })
})
