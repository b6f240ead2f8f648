import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { isX402Error } from '../errors/x402-error.js'
import { declareDiscovery } from '../extensions/bazaar-declare.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import type { Caip2 } from '../networks/caip2.js'
import type { PaymentRequirements } from '../schemas/index.js'
import { createHttpPaymentHandler } from '../server/create-http-payment-handler.js'
import { createResourceServer } from '../server/create-resource-server.js'
import { createPaymentClient } from './create-payment-client.js'
import { discoverResources, discoverSite, selectCheapestOffer } from './discover-resources.js'
import { allowNetworks, maxAtomicAmount } from './policies.js'

const offer = (amount: string, extra: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
  scheme: 'cash',
  network: CASH_NETWORK,
  amount,
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  ...extra,
})

const listing = {
  x402Version: 2,
  items: [
    {
      resource: 'http://a.test/weather',
      type: 'http',
      x402Version: 2,
      accepts: [offer('30')],
      lastUpdated: 1_700_000_000,
      description: 'Weather',
      tags: ['weather'],
    },
  ],
  pagination: { limit: 20, offset: 0, total: 1 },
}

let server: Server
let base: string
const seenQueries: string[] = []

beforeAll(async () => {
  const handler = createHttpPaymentHandler(
    createResourceServer({
      facilitator: createFacilitator({ schemes: [cashFacilitator()] }),
      schemes: [cashServer()],
    }),
    {
      routes: {
        'GET /weather': {
          accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' },
          extensions: { bazaar: declareDiscovery({ method: 'GET', input: { city: 'Oslo' } }) },
        },
      },
    },
  )
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/discovery/resources') {
      seenQueries.push(url.search)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing))
    } else if (url.pathname === '/down/discovery/resources') {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'ledger_unavailable', message: 'database down' }))
    } else if (url.pathname === '/html/discovery/resources') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>')
    } else {
      const outcome = await handler.handle(new Request(`${base}${req.url}`, { method: req.method }))
      if (outcome.kind !== 'respond') return void res.writeHead(404).end()
      res.writeHead(outcome.response.status, Object.fromEntries(outcome.response.headers))
      res.end(await outcome.response.text())
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('discoverResources', () => {
  test('GETs /discovery/resources with the filters and parses the listing', async () => {
    const page = await discoverResources(`${base}/`, {
      type: 'http',
      network: CASH_NETWORK,
      maxPrice: '$0.50',
      q: 'weather now',
      limit: 5,
    })
    expect(seenQueries.at(-1)).toBe('?type=http&network=cash%3Atest&maxPrice=%240.50&q=weather+now&limit=5')
    expect(page).toEqual(listing)
  })

  test('names the status and message of an error answer, and a body that is not a listing', async () => {
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => (isX402Error(error) ? [error.code, error.message] : error),
      )
    expect(await failure(discoverResources({ url: `${base}/down` }))).toEqual([
      'facilitator_http_error',
      `GET ${base}/down/discovery/resources answered 503: database down`,
    ])
    expect(await failure(discoverResources(`${base}/html`))).toEqual([
      'facilitator_response_invalid',
      `GET ${base}/html/discovery/resources answered something else than expected: (body): Invalid input: expected object, received undefined`,
    ])
    expect(await failure(discoverResources('http://127.0.0.1:1'))).toEqual([
      'facilitator_unreachable',
      expect.stringContaining('GET http://127.0.0.1:1/discovery/resources failed'),
    ])
  })
})

describe('discoverSite', () => {
  test("reads a site's /.well-known/x402 over HTTP from any URL of the site", async () => {
    const document = await discoverSite(`${base}/some/page?x=1`)
    expect(document.items).toHaveLength(1)
    expect(document.items[0]).toMatchObject({
      resource: `${base}/weather`,
      method: 'GET',
      accepts: [{ scheme: 'cash', amount: '25', payTo: 'shop' }],
      extensions: {
        bazaar: { info: { input: { type: 'http', method: 'GET', queryParams: { city: 'Oslo' } } } },
      },
    })
  })

  test('fails with discovery_failed when the site does not answer', async () => {
    let error: unknown
    try {
      await discoverSite('http://127.0.0.1:1/anything')
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'discovery_failed')).toBe(true)
    expect((error as Error).message).toContain('GET http://127.0.0.1:1/.well-known/x402 failed')
  })
})

describe('selectCheapestOffer', () => {
  const client = createPaymentClient({
    schemes: [cashClient('alice')],
    policies: [maxAtomicAmount(100), allowNetworks(['cash:*'])],
  })

  test('picks the cheapest offer the client can pay, across resources', () => {
    const items = [
      {
        resource: 'http://a.test/one',
        accepts: [offer('50'), offer('5', { network: 'other:net' as Caip2 })],
      },
      { resource: 'http://b.test/two', accepts: [offer('500'), offer('20')] },
      { resource: 'http://c.test/three', accepts: [offer('40')] },
    ]
    const chosen = selectCheapestOffer(client, items)
    expect(chosen.item).toBe(items[1])
    expect(chosen.requirements).toBe(items[1]?.accepts[1])
  })

  test('compares assets of different decimals when told them', () => {
    const cents = { resource: 'http://a.test/x', accepts: [offer('30')] } // $0.30 at 2 decimals
    const micro = { resource: 'http://b.test/x', accepts: [offer('90', { asset: 'MICRO' })] } // $0.00009 at 6
    const rich = createPaymentClient({ schemes: [cashClient('alice')] })
    expect(selectCheapestOffer(rich, [micro, cents]).item).toBe(cents)
    const decimals = (_network: Caip2, asset: string) => (asset === 'MICRO' ? 6 : 2)
    expect(selectCheapestOffer(rich, [cents, micro], { decimals }).item).toBe(micro)
  })

  test('throws naming why each resource was refused when none is payable', () => {
    let error: unknown
    try {
      selectCheapestOffer(client, [
        { resource: 'http://a.test/x', accepts: [offer('500')] },
        { resource: 'http://b.test/y', accepts: [] },
      ])
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toBe(
      'no payable discovered resource: http://a.test/x: no acceptable payment option: offer 1 (cash on cash:test, 500 of USD): maxAtomicAmount: 500 exceeds 100; http://b.test/y: lists no x402 V2 offer',
    )
    let noScheme: unknown
    try {
      selectCheapestOffer(client, [
        { resource: 'http://a.test/x', accepts: [offer('5', { scheme: 'exact', network: 'eip155:1' })] },
      ])
    } catch (caught) {
      noScheme = caught
    }
    expect(isX402Error(noScheme, 'no_scheme_registered')).toBe(true)
  })
})
