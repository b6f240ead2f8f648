import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { X402Error } from '../errors/x402-error.js'
import { declareDiscovery } from '../extensions/bazaar-declare.js'
import { WellKnownDocumentSchema } from '../extensions/bazaar-well-known.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import type { HttpPaymentHandlerOptions, PaymentOutcome, RoutesConfig } from '../index.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'

const weather = declareDiscovery({ method: 'GET', input: { city: 'Paris' }, description: 'Weather now' })
const routes: RoutesConfig = {
  'GET /weather': {
    accepts: [
      { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' },
      {
        scheme: 'cash',
        network: CASH_NETWORK,
        price: (request) => request.headers.get('x-price') ?? '1',
        payTo: 'shop',
      },
    ],
    description: 'Weather',
    mimeType: 'application/json',
    extensions: { bazaar: weather, other: { info: { secret: 'not listed' } } },
  },
  'POST /quote/:id': {
    accepts: {
      scheme: 'cash',
      network: CASH_NETWORK,
      price: '$1',
      payTo: () => 'seller',
      maxTimeoutSeconds: 60,
    },
  },
  '/files/*': { accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.01', payTo: 'shop' } },
}

function setup(options: Partial<HttpPaymentHandlerOptions> & { facilitator?: FacilitatorClient } = {}) {
  const facilitator = options.facilitator ?? createFacilitator({ schemes: [cashFacilitator()] })
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  return createHttpPaymentHandler(server, { routes, ...options })
}

function response(outcome: PaymentOutcome): Response {
  if (outcome.kind !== 'respond') throw new Error(`expected respond, got ${outcome.kind}`)
  return outcome.response
}

const cashOffer = (amount: string, payTo = 'shop') => ({
  scheme: 'cash',
  network: CASH_NETWORK,
  amount,
  asset: 'USD',
  payTo,
  maxTimeoutSeconds: 300,
  extra: { unit: 'cent', vault: 'v1' },
})

describe('GET /.well-known/x402', () => {
  test('lists every paid route: fixed-price requirements, per-request options, discovery metadata', async () => {
    const res = response(await setup().handle(new Request('https://shop.test/.well-known/x402?x=1')))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('cache-control')).toBe('public, max-age=60')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const document = await res.json()
    expect(WellKnownDocumentSchema.parse(document)).toEqual(document)
    expect(document).toEqual({
      x402Version: 2,
      items: [
        {
          resource: 'https://shop.test/weather',
          type: 'http',
          x402Version: 2,
          method: 'GET',
          path: '/weather',
          description: 'Weather',
          mimeType: 'application/json',
          accepts: [cashOffer('25')],
          dynamicAccepts: [{ scheme: 'cash', network: CASH_NETWORK, payTo: 'shop', maxTimeoutSeconds: 300 }],
          extensions: { bazaar: weather },
        },
        {
          resource: 'https://shop.test/quote/:id',
          type: 'http',
          x402Version: 2,
          method: 'POST',
          path: '/quote/:id',
          accepts: [],
          dynamicAccepts: [{ scheme: 'cash', network: CASH_NETWORK, maxTimeoutSeconds: 60 }],
        },
        {
          resource: 'https://shop.test/files/*',
          type: 'http',
          x402Version: 2,
          path: '/files/*',
          accepts: [cashOffer('1')],
        },
      ],
    })
  })

  test('is answered free even when a catch-all route asks payment for every path', async () => {
    const handler = setup({
      routes: { '/*': { accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.01', payTo: 'shop' } } },
    })
    const res = response(await handler.handle(new Request('https://shop.test/.well-known/x402')))
    expect(res.status).toBe(200)
    expect((await res.json()).items.map((item: { path: string }) => item.path)).toEqual(['/*'])
    expect(response(await handler.handle(new Request('https://shop.test/other'))).status).toBe(402)
  })

  test('HEAD gets the headers without a body; other methods and paths are not answered', async () => {
    const handler = setup()
    const head = response(
      await handler.handle(new Request('https://shop.test/.well-known/x402', { method: 'HEAD' })),
    )
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const post = await handler.handle(new Request('https://shop.test/.well-known/x402', { method: 'POST' }))
    expect(post).toEqual({ kind: 'free' })
    expect(await handler.handle(new Request('https://shop.test/.well-known/x402/more'))).toEqual({
      kind: 'free',
    })
    expect(await handler.handle(new Request('https://shop.test/a/.well-known/x402'))).toEqual({
      kind: 'free',
    })
  })

  test('wellKnown: false leaves the path to the application', async () => {
    const outcome = await setup({ wellKnown: false }).handle(
      new Request('https://shop.test/.well-known/x402'),
    )
    expect(outcome).toEqual({ kind: 'free' })
  })

  test('answers 503 facilitator_unavailable when /supported cannot be read, as the 402 does', async () => {
    const down: FacilitatorClient = {
      verify: () => Promise.reject(new Error('down')),
      settle: () => Promise.reject(new Error('down')),
      supported: () => Promise.reject(new X402Error('facilitator_unreachable', 'connection refused')),
    }
    const res = response(
      await setup({ facilitator: down }).handle(new Request('https://shop.test/.well-known/x402')),
    )
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({
      error: 'facilitator_unavailable',
      message: 'no facilitator answered /supported: connection refused',
    })
  })
})
