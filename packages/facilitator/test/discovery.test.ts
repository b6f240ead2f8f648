import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import {
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  type DiscoveryResourcesResponse,
  declareDiscovery,
  decodeBase64Json,
  decodePaymentRequired,
  discoverResources,
  discoverSite,
  encodePaymentSignature,
  isX402Error,
  maxAmount,
  type PaymentClient,
  type PaymentRequired,
  type RoutesConfig,
  selectCheapestOffer,
} from '@open402/core'
import type { Devnet } from '@open402/devnet'
import { exactEvmClient, exactEvmServer } from '@open402/evm'
// The hono adapter from source: @open402/facilitator does not depend on it, only this test does.
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createEngineFixture } from '../../storage/test/engines.js'
import type { FacilitatorService } from '../src/start-facilitator-service.js'
import {
  type Cleanups,
  getJson,
  paymentBody,
  postPayment,
  signedPayment,
  startLedgerService,
  until,
  useCleanups,
  useEvmDevnet,
} from './support/facilitator-fixtures.js'

// A resource server (hono + @open402/hono) paid on the devnet through the real facilitator service with
// SQLite storage: what it is paid for shows up in the facilitator's GET /discovery/resources.

let devnet: Devnet<'evm'>
useEvmDevnet((started) => {
  devnet = started
})
const cleanups = useCleanups()
/** What the file's shared site and facilitator need closed, after the last test. */
const shared: Cleanups = []
afterAll(async () => {
  for (const cleanup of shared.splice(0).reverse()) await cleanup().catch(() => {})
})

const cityQuery = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
const weather = declareDiscovery({
  method: 'GET',
  input: { city: 'Paris' },
  inputSchema: cityQuery,
  output: { example: { city: 'Paris', weather: 'sunny' } },
  description: 'Current weather for a city',
  tags: ['weather', 'forecast'],
})
const translate = declareDiscovery({
  method: 'POST',
  input: { text: 'hello', to: 'fr' },
  description: 'Translate a text',
  tags: ['language'],
})
// Malformed: its own example does not match its schema (the city is missing).
const broken = {
  info: { input: { type: 'http', method: 'GET', queryParams: {} } },
  schema: { ...weather.schema },
}

interface Site {
  url: string
  service: FacilitatorService
  client: PaymentClient
}

async function startSite(service: FacilitatorService, closers: Cleanups): Promise<string> {
  const { network, token, accounts } = devnet.evm
  const server = createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: service.url }),
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const option = (price: string) => ({ scheme: 'exact', network, price, payTo: accounts.merchant.address })
  const routes: RoutesConfig = {
    'GET /weather': { accepts: option('$0.001'), description: 'Weather', extensions: { bazaar: weather } },
    'POST /translate': { accepts: option('$0.01'), extensions: { bazaar: translate } },
    'GET /broken': { accepts: option('$0.001'), extensions: { bazaar: broken } },
    'GET /plain': { accepts: option('$0.001') },
  }
  const app = new Hono()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/weather', (c) => c.json({ city: c.req.query('city'), weather: 'sunny' }))
  app.post('/translate', async (c) => c.json({ text: 'bonjour', from: await c.req.json() }))
  app.get('/broken', (c) => c.json({ ok: true }))
  app.get('/plain', (c) => c.json({ ok: true }))
  const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise((resolve) => http.once('listening', resolve))
  closers.push(() => new Promise((resolve) => http.close(resolve)))
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`
}

async function startFacilitator(closers: Cleanups): Promise<FacilitatorService> {
  const fixture = createEngineFixture('sqlite')
  closers.push(() => fixture.cleanup())
  const { network, rpcUrl, token, accounts } = devnet.evm
  return startLedgerService(closers, fixture.config, {
    server: { port: 0 },
    evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey] }],
    storage: { url: 'sqlite:unused', reconcileIntervalMs: 60_000 },
    discovery: { usdAssets: [{ network, asset: token.address, decimals: token.decimals }] },
    logging: { level: 'silent' },
  })
}

async function startAll(): Promise<Site> {
  const service = await startFacilitator(shared)
  const payer = devnet.evm.accounts.others[5]
  if (payer === undefined) throw new Error('the devnet has no others[5]')
  const client = createPaymentClient({
    schemes: [exactEvmClient({ account: privateKeyToAccount(payer.privateKey) })],
  })
  return { url: await startSite(service, shared), service, client }
}

/** Requests `path` of the site, pays its 402 and returns the paid answer and the 402's terms. */
async function pay(site: Site, path: string, init: RequestInit = {}) {
  const unpaid = await fetch(`${site.url}${path}`, init)
  expect(unpaid.status).toBe(402)
  const required: PaymentRequired = decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? '')
  const payload = await site.client.createPaymentPayload(required)
  const headers = {
    ...(init.headers as Record<string, string>),
    'PAYMENT-SIGNATURE': encodePaymentSignature(payload),
  }
  const paid = await fetch(`${site.url}${path}`, { ...init, headers })
  expect(paid.status).toBe(200)
  return { required, body: await paid.json() }
}

function list(site: Site, query = ''): Promise<DiscoveryResourcesResponse> {
  return getJson(`${site.service.url}/discovery/resources${query}`).then(
    ({ body }) => body as unknown as DiscoveryResourcesResponse,
  )
}

const paths = (page: DiscoveryResourcesResponse) => page.items.map((item) => new URL(item.resource).pathname)

describe('discovery through the facilitator service (SQLite)', () => {
  let site: Site
  beforeAll(async () => {
    site = await startAll()
  })

  test('/supported announces the bazaar extension', async () => {
    const { body } = await getJson(`${site.service.url}/supported`)
    expect(body.extensions).toContain('bazaar')
  })

  test('a paid bazaar route is cataloged with its declaration, offer, description and tags', async () => {
    const before = Math.floor(Date.now() / 1000)
    const { required, body } = await pay(site, '/weather?city=Paris')
    expect(body).toEqual({ city: 'Paris', weather: 'sunny' })
    const page = await until(
      () => list(site),
      (found) => found.pagination.total >= 1,
    )
    expect(page).toEqual({
      x402Version: 2,
      items: [
        {
          resource: `${site.url}/weather`,
          type: 'http',
          x402Version: 2,
          accepts: required.accepts,
          lastUpdated: expect.any(Number),
          description: 'Current weather for a city',
          tags: ['weather', 'forecast'],
          extensions: { bazaar: weather },
        },
      ],
      pagination: { limit: 20, offset: 0, total: 1 },
    })
    expect(page.items[0]?.lastUpdated).toBeGreaterThanOrEqual(before)

    // Paid again: the entry is updated, not duplicated.
    await pay(site, '/weather?city=Oslo')
    await pay(site, '/plain')
    expect((await list(site)).pagination.total).toBe(1)
  })

  test('filters by type, network, scheme, asset, price and words, and pages', async () => {
    await pay(site, '/translate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', to: 'fr' }),
    })
    await until(
      () => list(site),
      (found) => found.pagination.total === 2,
    )
    const { network, token } = devnet.evm
    const url = site.service.url
    expect(paths(await discoverResources(url, { type: 'http' }))).toEqual(['/translate', '/weather'])
    expect(paths(await discoverResources(url, { type: 'mcp' }))).toEqual([])
    expect(paths(await discoverResources(url, { network, scheme: 'exact' }))).toEqual([
      '/translate',
      '/weather',
    ])
    expect(paths(await discoverResources(url, { network: 'eip155:1' }))).toEqual([])
    expect(
      paths(await discoverResources(url, { asset: token.address.toUpperCase().replace('0X', '0x') })),
    ).toEqual(['/translate', '/weather'])
    expect(paths(await discoverResources(url, { maxPrice: 1000n }))).toEqual(['/weather'])
    expect(paths(await discoverResources(url, { maxPrice: '$0.005' }))).toEqual(['/weather'])
    expect(paths(await discoverResources(url, { maxPrice: '$0.01' }))).toEqual(['/translate', '/weather'])
    expect(paths(await discoverResources(url, { q: 'FORECAST' }))).toEqual(['/weather'])
    expect(paths(await discoverResources(url, { q: 'translate text' }))).toEqual(['/translate'])

    const first = await discoverResources(url, { limit: 1 })
    expect([paths(first), first.pagination]).toEqual([['/translate'], { limit: 1, offset: 0, total: 2 }])
    const second = await discoverResources(url, { limit: 1, offset: 1 })
    expect([paths(second), second.pagination]).toEqual([['/weather'], { limit: 1, offset: 1, total: 2 }])
  })

  test.each([
    ['limit=0', 'limit must be an integer from 1 to 100'],
    ['limit=101', 'limit must be an integer from 1 to 100'],
    ['offset=x', 'offset must be an integer from 0 to 1000000'],
    ['network=base', 'network must be a CAIP-2 id such as eip155:8453'],
    ['maxPrice=cheap', 'maxPrice must be atomic units (10000) or dollars ($0.01)'],
  ])('answers 400 with the reason for %s', async (query, message) => {
    expect(await getJson(`${site.service.url}/discovery/resources?${query}`)).toEqual({
      status: 400,
      body: { error: 'invalid_query', message },
    })
  })

  test('a malformed declaration is rejected with its reason in EXTENSION-RESPONSES and never cataloged', async () => {
    await pay(site, '/broken')
    // The same kind of payment straight to /verify, to read the facilitator's answer header.
    const payment = await signedPayment(devnet, '1000')
    payment.payload.resource = { url: `${site.url}/broken` }
    payment.payload.extensions = { bazaar: broken }
    const response = await fetch(`${site.service.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: paymentBody(payment),
    })
    expect(await response.json()).toMatchObject({ isValid: true })
    expect(
      decodeBase64Json('EXTENSION-RESPONSES', response.headers.get('EXTENSION-RESPONSES') ?? ''),
    ).toEqual({
      bazaar: {
        status: 'rejected',
        rejectedReason: 'info failed schema validation: input.queryParams: missing required property "city"',
      },
    })
    const metrics = await (await fetch(`${site.service.url}/metrics`)).text()
    expect(metrics).toMatch(/open402_discovery_total\{result="rejected"\} [2-9]/)
    expect(paths(await list(site))).not.toContain('/broken')
  })

  test('EXTENSION-RESPONSES says processing, then success once written, and rejected for a payment that does not verify', async () => {
    const payment = await signedPayment(devnet, '5000')
    payment.payload.resource = { url: `${site.url}/other?x=1`, description: 'Other' }
    payment.payload.extensions = {
      bazaar: declareDiscovery({ method: 'GET', description: 'Another endpoint' }),
    }
    const status = async (body: string) => {
      const response = await fetch(`${site.service.url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      return decodeBase64Json('EXTENSION-RESPONSES', response.headers.get('EXTENSION-RESPONSES') ?? '')
    }
    expect(await status(paymentBody(payment))).toEqual({ bazaar: { status: 'processing' } })
    await until(
      () => list(site, '?q=another'),
      (found) => found.pagination.total === 1,
    )
    expect(await status(paymentBody(payment))).toEqual({ bazaar: { status: 'success' } })
    const wrongAmount = paymentBody({ ...payment, requirements: { ...payment.requirements, amount: '6000' } })
    expect(await status(wrongAmount)).toEqual({
      bazaar: {
        status: 'rejected',
        rejectedReason: 'only resources whose payment verified or settled are cataloged',
      },
    })
    const plain = await postPayment(
      site.service.url,
      '/verify',
      paymentBody(await signedPayment(devnet, '1000')),
    )
    expect(plain.body.isValid).toBe(true)
  })

  test('the site describes its own paid routes at /.well-known/x402, through the hono adapter', async () => {
    const document = await discoverSite(site.url)
    const unpaid = await fetch(`${site.url}/weather`)
    const required = decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? '')
    expect(document.items.map((item) => [item.method, item.path])).toEqual([
      ['GET', '/weather'],
      ['POST', '/translate'],
      ['GET', '/broken'],
      ['GET', '/plain'],
    ])
    expect(document.items[0]).toEqual({
      resource: `${site.url}/weather`,
      type: 'http',
      x402Version: 2,
      method: 'GET',
      path: '/weather',
      description: 'Weather',
      accepts: required.accepts,
      extensions: { bazaar: weather },
    })
  })

  test('an agent finds a paid API through the catalog, picks the cheapest offer it may pay, and pays it', async () => {
    await until(
      () => list(site),
      (found) => found.pagination.total >= 2,
    )
    const { items } = await discoverResources(site.service.url, {
      network: devnet.evm.network,
      maxPrice: '$0.05',
    })
    const chosen = selectCheapestOffer(site.client, items)
    expect(new URL(chosen.item.resource).pathname).toBe('/weather')
    // The declaration says how to call it: GET with a city, e.g. Paris.
    const declared = chosen.item.extensions?.bazaar as typeof weather | undefined
    expect(declared?.info.input).toMatchObject({ method: 'GET', queryParams: { city: 'Paris' } })
    const city = (declared?.info.input.queryParams as { city?: string } | undefined)?.city
    const { body } = await pay(site, `/weather?city=${city}`)
    expect(body).toEqual({ city: 'Paris', weather: 'sunny' })

    const frugal = createPaymentClient({
      schemes: [exactEvmClient({ account: privateKeyToAccount(devnet.evm.accounts.payer.privateKey) })],
      policies: [maxAmount('$0.0005')],
    })
    let refused: unknown
    try {
      selectCheapestOffer(frugal, items)
    } catch (error) {
      refused = error
    }
    expect(isX402Error(refused, 'payment_refused_by_policy')).toBe(true)
  })
})

describe('discovery shared by two facilitator instances (PostgreSQL)', () => {
  test('a resource cataloged through one instance is listed by the other', async () => {
    const fixture = createEngineFixture('postgres')
    cleanups.push(() => fixture.cleanup())
    const { network, rpcUrl, accounts } = devnet.evm
    const start = () =>
      startLedgerService(cleanups, fixture.config, {
        server: { port: 0 },
        evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey] }],
        storage: { url: 'sqlite:unused', reconcileIntervalMs: 60_000 },
        logging: { level: 'silent' },
      })
    const first = await start()
    const second = await start()
    const payment = await signedPayment(devnet, '1000')
    payment.payload.resource = { url: 'https://api.example.com/quotes' }
    payment.payload.extensions = { bazaar: declareDiscovery({ method: 'GET', tags: ['finance'] }) }
    expect((await postPayment(first.url, '/settle', paymentBody(payment))).body.success).toBe(true)
    const page = await until(
      () => discoverResources(second.url, { q: 'finance' }),
      (found) => found.pagination.total === 1,
    )
    expect(page.items[0]).toMatchObject({
      resource: 'https://api.example.com/quotes',
      accepts: [payment.requirements],
    })
  })
})
