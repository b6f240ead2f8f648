import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { HttpPaymentHandlerOptions, PaymentOutcome, RoutesConfig } from '../index.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import type { ResourceServerHookContext } from './resource-server-hooks.js'

const routes: RoutesConfig = {
  'GET /weather': {
    accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' },
    extensions: { bazaar: { info: { input: { type: 'http', method: 'GET' } } } },
  },
}

function setup(options: Partial<HttpPaymentHandlerOptions> = {}) {
  const cash = cashFacilitator({ alice: 1000 })
  const settled: ResourceServerHookContext[] = []
  const server = createResourceServer({
    facilitator: createFacilitator({ schemes: [cash] }),
    schemes: [cashServer()],
    hooks: { afterSettle: (context) => void settled.push(context) },
  })
  const handler = createHttpPaymentHandler(server, { routes, ...options })
  return { cash, handler, settled }
}

function response(outcome: PaymentOutcome): Response {
  if (outcome.kind !== 'respond') throw new Error(`expected respond, got ${outcome.kind}`)
  return outcome.response
}

const requiredOf = (res: Response) => decodePaymentRequired(res.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')

describe('the access option', () => {
  test('a grant runs the handler free (granted), without offers, verify or settle', async () => {
    const seen: string[] = []
    const { handler, cash } = setup({
      access: (request, route) => {
        seen.push(`${route.key} ${new URL(request.url).pathname}`)
        return request.headers.get('x-member') === 'yes' ? 'grant' : undefined
      },
    })
    const granted = await handler.handle(
      new Request('http://shop.test/weather', { headers: { 'x-member': 'yes' } }),
    )
    expect(granted).toEqual({ kind: 'free', granted: true })
    expect(cash.balances.get('alice')).toBe(1000n)
    const unpaid = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(unpaid.status).toBe(402)
    expect(await handler.handle(new Request('http://shop.test/other'))).toEqual({ kind: 'free' })
    expect(seen).toEqual(['GET /weather /weather', 'GET /weather /weather'])
  })

  test('an abort answers a 402 with the offers, its reason as error and this request’s extensions', async () => {
    let nonce = 0
    const { handler } = setup({
      access: () => ({ abort: { reason: 'siwx_nonce_reused', message: 'the nonce was used before' } }),
      declareExtensions: () => ({ 'sign-in-with-x': { info: { nonce: `n${++nonce}` } } }),
    })
    const res = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(res.status).toBe(402)
    expect(await res.json()).toMatchObject({
      error: 'siwx_nonce_reused',
      message: 'the nonce was used before',
    })
    const required = requiredOf(res)
    expect(required.error).toBe('siwx_nonce_reused')
    expect(required.accepts[0]).toMatchObject({ scheme: 'cash', amount: '25' })
    expect(required.extensions).toEqual({
      bazaar: { info: { input: { type: 'http', method: 'GET' } } },
      'sign-in-with-x': { info: { nonce: 'n1' } },
    })
  })

  test('an abort refuses even a request that carries a payment, and settles nothing', async () => {
    const { handler, cash } = setup({ access: () => ({ abort: { reason: 'banned', status: 403 } }) })
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    const required = requiredOf(
      response(await setup().handler.handle(new Request('http://shop.test/weather'))),
    )
    const payment = encodePaymentSignature(await client.createPaymentPayload(required))
    const res = response(
      await handler.handle(
        new Request('http://shop.test/weather', { headers: { [PAYMENT_SIGNATURE_HEADER]: payment } }),
      ),
    )
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: 'banned', message: 'the access hook refused this request' })
    expect(cash.balances.get('alice')).toBe(1000n)
  })

  test('a Response is sent as is', async () => {
    const { handler } = setup({ access: () => new Response('who are you?', { status: 401 }) })
    const res = response(await handler.handle(new Request('http://shop.test/weather')))
    expect([res.status, await res.text()]).toEqual([401, 'who are you?'])
  })

  test.each([
    ['throws', () => Promise.reject(new Error('database down'))],
    ['answers something else', () => ({ allow: true }) as never],
  ])('a hook that %s fails closed with 500 access_hook_error', async (_name, access) => {
    const { handler } = setup({ access })
    const res = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({
      error: 'access_hook_error',
      message: 'the access hook failed; the request was refused',
    })
  })
})

describe('the declareExtensions option', () => {
  test('adds fresh declarations to every unpaid 402, merged over the route’s own', async () => {
    let nonce = 0
    const { handler } = setup({
      declareExtensions: (_request, route) =>
        route.key === 'GET /weather' ? { 'sign-in-with-x': { info: { nonce: `n${++nonce}` } } } : undefined,
    })
    const first = requiredOf(response(await handler.handle(new Request('http://shop.test/weather'))))
    const second = requiredOf(response(await handler.handle(new Request('http://shop.test/weather'))))
    expect(first.extensions?.['sign-in-with-x']).toEqual({ info: { nonce: 'n1' } })
    expect(second.extensions?.['sign-in-with-x']).toEqual({ info: { nonce: 'n2' } })
    expect(second.extensions?.bazaar).toEqual({ info: { input: { type: 'http', method: 'GET' } } })
  })

  test('reaches the browser paywall’s PAYMENT-REQUIRED header too', async () => {
    const { handler } = setup({
      paywall: () => '<h1>pay</h1>',
      declareExtensions: () => ({ 'sign-in-with-x': { info: { nonce: 'abc' } } }),
    })
    const res = response(
      await handler.handle(new Request('http://shop.test/weather', { headers: { Accept: 'text/html' } })),
    )
    expect(await res.text()).toBe('<h1>pay</h1>')
    expect(requiredOf(res).extensions?.['sign-in-with-x']).toEqual({ info: { nonce: 'abc' } })
  })

  test('a hook that throws fails closed with 500 access_hook_error', async () => {
    const { handler } = setup({
      declareExtensions: () => {
        throw new Error('no randomness')
      },
    })
    const res = response(await handler.handle(new Request('http://shop.test/weather')))
    expect(res.status).toBe(500)
    expect((await res.json()).error).toBe('access_hook_error')
  })
})

test('lifecycle hooks are told the key of the route being paid for', async () => {
  const { handler, settled } = setup()
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  const required = requiredOf(response(await handler.handle(new Request('http://shop.test/weather'))))
  const payment = encodePaymentSignature(await client.createPaymentPayload(required))
  const outcome = await handler.handle(
    new Request('http://shop.test/weather', { headers: { [PAYMENT_SIGNATURE_HEADER]: payment } }),
  )
  if (outcome.kind !== 'paid') throw new Error(`expected paid, got ${outcome.kind}`)
  expect((await outcome.settle(new Response('sunny'))).status).toBe(200)
  expect(settled.map((context) => context.route)).toEqual(['GET /weather'])
})
