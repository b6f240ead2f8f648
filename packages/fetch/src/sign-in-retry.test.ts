import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  type PaymentPayload,
  type PaymentRequired,
  type SettleResponse,
  type SignInClient,
} from '@open402/core'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../core/test/cash-scheme.js'
import { wrapFetch } from './index.js'

// wrapFetch's `signIn` option over real HTTP, against a site whose 402 offers a toy "member-pass" sign-in
// (core's access and declareExtensions options) and which is paid in core's test-only cash scheme.

const cash = cashFacilitator({ alice: 1000 })
const members = new Set<string>()
const hits: string[] = []
let server: ServerType | undefined
let url: string
beforeAll(async () => {
  const resourceServer = createResourceServer({
    facilitator: createFacilitator({ schemes: [cash] }),
    schemes: [cashServer()],
    hooks: { afterSettle: (_context, result) => void (result.payer && members.add(result.payer)) },
  })
  const app = new Hono()
  app.use(async (c, next) => {
    const pass = c.req.header('X-Member-Pass')
    hits.push(c.req.header('PAYMENT-SIGNATURE') ? 'paid' : pass ? `pass:${pass}` : 'unsigned')
    await next()
  })
  app.use(
    paymentMiddleware(resourceServer, {
      routes: {
        'GET /doc': { accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' } },
      },
      declareExtensions: () => ({ 'member-pass': { info: { offered: hits.length } } }),
      access: (request) => {
        const pass = request.headers.get('X-Member-Pass')
        if (pass === null) return undefined
        return members.has(pass)
          ? 'grant'
          : { abort: { reason: 'payment_required', message: 'not a member' } }
      },
    }),
  )
  app.get('/doc', (c) => c.text('the document'))
  url = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}/doc`),
    )
  })
})
afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())))

/** A sign-in client that answers "member-pass" offers with the payer it was told about. */
function memberPass(overrides: Partial<SignInClient> = {}) {
  const seen: PaymentRequired[] = []
  let payer: string | undefined
  const client: SignInClient = {
    async signIn(paymentRequired) {
      seen.push(paymentRequired)
      if (!paymentRequired.extensions?.['member-pass'] || payer === undefined) return undefined
      return { 'X-Member-Pass': payer }
    },
    paid(settlement: SettleResponse) {
      payer = settlement.payer
    },
    ...overrides,
  }
  const pretend = (as: string) => {
    payer = as
  }
  return { client, seen, pretend }
}

const payments = () => createPaymentClient({ schemes: [cashClient('alice')] })
const since = (start: number) => hits.slice(start)

describe('wrapFetch with signIn', () => {
  test('pays the first time, then signs in where it paid instead of paying again', async () => {
    const { client } = memberPass()
    const paidFetch = wrapFetch(fetch, payments(), { signIn: client })
    const start = hits.length
    const balance = cash.balances.get('alice')
    expect(await (await paidFetch(url)).text()).toBe('the document')
    expect(cash.balances.get('alice')).toBe((balance ?? 0n) - 25n)
    const again = await paidFetch(url)
    expect([again.status, await again.text()]).toEqual([200, 'the document'])
    expect(cash.balances.get('alice')).toBe((balance ?? 0n) - 25n)
    expect(since(start)).toEqual(['unsigned', 'paid', 'unsigned', 'pass:alice'])
  })

  test('when the sign-in is refused, pays once with the terms of the refusal’s 402', async () => {
    const { client, seen, pretend } = memberPass()
    pretend('mallory')
    const sentPayments: PaymentPayload[] = []
    const paidFetch = wrapFetch(fetch, payments(), {
      signIn: client,
      onPayment: (p) => void sentPayments.push(p),
    })
    const start = hits.length
    const response = await paidFetch(url)
    expect([response.status, await response.text()]).toEqual([200, 'the document'])
    expect(since(start)).toEqual(['unsigned', 'pass:mallory', 'paid'])
    expect(seen).toHaveLength(1)
    // The first 402 was declared at hit start + 1, the refusal at start + 2: the payment echoes the latter.
    expect(sentPayments.map((p) => p.extensions?.['member-pass'])).toEqual([{ info: { offered: start + 2 } }])
  })

  test.each([
    ['throws', { signIn: () => Promise.reject(new Error('wallet locked')) }],
    ['has nothing to offer', { signIn: () => Promise.resolve(undefined) }],
  ])('pays without a sign-in retry when the sign-in client %s', async (_name, overrides) => {
    const { client } = memberPass(overrides)
    const start = hits.length
    const response = await wrapFetch(fetch, payments(), { signIn: client })(url)
    expect(response.status).toBe(200)
    expect(since(start)).toEqual(['unsigned', 'paid'])
  })

  test('a sign-in client that fails to remember the payment does not fail the paid request', async () => {
    const { client } = memberPass({ paid: () => Promise.reject(new Error('disk full')) })
    const response = await wrapFetch(fetch, payments(), { signIn: client })(url)
    expect([response.status, await response.text()]).toEqual([200, 'the document'])
  })
})
