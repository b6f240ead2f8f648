import { Readable } from 'node:stream'
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
import Fastify from 'fastify'
import { describe, expect, test } from 'vitest'
import { paymentMiddleware } from './payment-middleware.js'

// A test-only in-memory "cash" scheme whose facilitator keeps balances in a Map: these tests cover how the
// plugin carries fastify payloads (string, Buffer, stream, object) through settlement. Real schemes and
// real HTTP are covered by packages/conformance on a devnet.
const NETWORK = 'cash:test' as Caip2
const cashServer: SchemeServer = {
  scheme: 'cash',
  network: 'cash:*',
  price: (price) =>
    typeof price === 'object'
      ? price
      : { amount: String(Math.round(Number(String(price).replace('$', '')) * 100)), asset: 'USD' },
}
const cashClient: SchemeClient = {
  scheme: 'cash',
  network: 'cash:*',
  payer: () => 'alice',
  createPayload: async (req) => ({
    from: 'alice',
    amount: req.amount,
    to: req.payTo,
    nonce: crypto.randomUUID(),
  }),
}
function cashFacilitator(balances: Map<string, number>): SchemeFacilitator & { fail?: boolean } {
  const self: SchemeFacilitator & { fail?: boolean } = {
    scheme: 'cash',
    network: 'cash:*',
    kinds: () => [{ x402Version: 2, scheme: 'cash', network: NETWORK }],
    signers: () => ({}),
    async verify(payload) {
      return { isValid: true, payer: (payload.payload as { from: string }).from }
    },
    async settle(payload, req) {
      if (self.fail)
        return { success: false, errorReason: 'insufficient_funds', transaction: '', network: req.network }
      const from = (payload.payload as { from: string }).from
      balances.set(from, (balances.get(from) ?? 0) - Number(req.amount))
      return { success: true, transaction: 'tx-1', network: req.network, payer: from }
    },
  }
  return self
}

async function setup() {
  const balances = new Map([['alice', 100]])
  const cash = cashFacilitator(balances)
  const server = createResourceServer({
    facilitator: createFacilitator({ schemes: [cash] }),
    schemes: [cashServer],
  })
  const accepts = { scheme: 'cash', network: NETWORK, price: '$0.10', payTo: 'shop' }
  const app = Fastify()
  await app.register(paymentMiddleware(server, { routes: { '/paid/*': { accepts } } }))
  app.get('/paid/text', async (_request, reply) => reply.header('set-cookie', ['a=1', 'b=2']).send('hello'))
  app.get('/paid/buffer', async (_request, reply) =>
    reply.type('application/octet-stream').send(Buffer.from('bytes')),
  )
  app.get('/paid/stream', async (_request, reply) =>
    reply.type('text/plain').send(Readable.from(['flow', 'ing'])),
  )
  app.get('/paid/object', async (_request, reply) =>
    reply.header('x-secret', 'content').send({ forecast: 'sunny' }),
  )
  app.get('/paid/empty', async (_request, reply) => reply.code(204).send())
  // A route in an encapsulated child context is covered too: the plugin is not encapsulated.
  await app.register(async (child) => {
    child.get('/paid/child', async () => ({ child: true }))
  })
  const client = createPaymentClient({ schemes: [cashClient] })
  const paid = async (url: string) => {
    const unpaid = await app.inject({ url })
    const payload = await client.createPaymentPayload(
      decodePaymentRequired(String(unpaid.headers['payment-required'])),
    )
    return app.inject({ url, headers: { 'PAYMENT-SIGNATURE': encodePaymentSignature(payload) } })
  }
  return { app, balances, cash, paid }
}

describe('paymentMiddleware for fastify', () => {
  test('settles and sends string, Buffer, stream, object and empty payloads with PAYMENT-RESPONSE', async () => {
    const { app, balances, paid } = await setup()
    const cases: [string, number, string][] = [
      ['/paid/text', 200, 'hello'],
      ['/paid/buffer', 200, 'bytes'],
      ['/paid/stream', 200, 'flowing'],
      ['/paid/object', 200, '{"forecast":"sunny"}'],
      ['/paid/empty', 204, ''],
      ['/paid/child', 200, '{"child":true}'],
    ]
    for (const [url, status, body] of cases) {
      const res = await paid(url)
      expect([url, res.statusCode, res.body]).toEqual([url, status, body])
      expect(decodePaymentResponse(String(res.headers['payment-response']))).toMatchObject({ success: true })
    }
    expect(balances.get('alice')).toBe(100 - 10 * cases.length)
    await app.close()
  })

  test('keeps the handler headers, several set-cookie apart, and fastify content-length on success', async () => {
    const { app, paid } = await setup()
    const res = await paid('/paid/text')
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(res.headers['content-length']).toBe('5')
    expect(res.headers['access-control-expose-headers']).toContain('PAYMENT-RESPONSE')
    await app.close()
  })

  test('answers 402 without the handler content or headers when settlement fails', async () => {
    const { app, cash, paid } = await setup()
    cash.fail = true
    for (const url of ['/paid/object', '/paid/stream']) {
      const res = await paid(url)
      expect(res.statusCode).toBe(402)
      expect(res.headers['x-secret']).toBeUndefined()
      expect(res.body).not.toMatch(/sunny|flowing/)
      expect(JSON.parse(res.body)).toMatchObject({ error: 'insufficient_funds' })
      expect(decodePaymentResponse(String(res.headers['payment-response']))).toMatchObject({
        success: false,
        errorReason: 'insufficient_funds',
      })
    }
    await app.close()
  })

  test('asks for payment before routing: unknown paid paths get 402, free ones fastify 404', async () => {
    const { app } = await setup()
    const paidMissing = await app.inject({ url: '/PAID/nowhere' })
    expect(paidMissing.statusCode).toBe(402)
    expect(decodePaymentRequired(String(paidMissing.headers['payment-required'])).accepts[0]?.amount).toBe(
      '10',
    )
    expect((await app.inject({ url: '/free/nowhere' })).statusCode).toBe(404)
    await app.close()
  })
})
