import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { isX402Error } from '../errors/x402-error.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { PaymentOutcome, PaywallRenderer, RoutesConfig } from '../http/types.js'
import type { PaymentRequired } from '../schemas/index.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import { prefersHtml } from './payment-responses.js'

const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const SAFARI = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' }
const routes: RoutesConfig = {
  'GET /article': { accepts, description: 'An article', mimeType: 'text/html' },
  '/any-method': { accepts },
  'GET /api-only': { accepts, paywall: false },
  'GET /own-page': { accepts, paywall: () => '<p>route page</p>' },
}

function setup(paywall?: PaywallRenderer) {
  const facilitator = createFacilitator({ schemes: [cashFacilitator({ alice: 1000 })] })
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  const calls: { paymentRequired: PaymentRequired; request: Request }[] = []
  const renderer: PaywallRenderer =
    paywall ??
    ((paymentRequired, request) => {
      calls.push({ paymentRequired, request })
      return `<!doctype html><title>Pay</title><h1>${paymentRequired.resource.description}</h1>`
    })
  const handler = createHttpPaymentHandler(server, { routes, paywall: renderer })
  return { handler, calls }
}

function response(outcome: PaymentOutcome): Response {
  if (outcome.kind !== 'respond') throw new Error(`expected respond, got ${outcome.kind}`)
  return outcome.response
}

const get = (path: string, accept: string | null, method = 'GET') =>
  new Request(`http://shop.test${path}`, { method, headers: accept === null ? {} : { accept } })

describe('the paywall for browsers', () => {
  test('answers a browser navigation with the HTML page, the same PAYMENT-REQUIRED header and no-store', async () => {
    const { handler, calls } = setup()
    const html = response(await handler.handle(get('/article', CHROME)))
    const json = response(await handler.handle(get('/article', 'application/json')))
    expect(html.status).toBe(402)
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html.headers.get('cache-control')).toBe('no-store')
    expect(html.headers.get('vary')).toBe('Accept')
    expect(html.headers.get('access-control-allow-origin')).toBe('*')
    expect(html.headers.get(PAYMENT_REQUIRED_HEADER)).toBe(json.headers.get(PAYMENT_REQUIRED_HEADER))
    expect(await html.text()).toBe('<!doctype html><title>Pay</title><h1>An article</h1>')
    // The renderer gets the 402 the header carries, and the request.
    const header = decodePaymentRequired(html.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(calls).toHaveLength(1)
    expect(calls[0]?.paymentRequired).toEqual(header)
    expect(calls[0]?.request.url).toBe('http://shop.test/article')
  })

  test('answers HEAD from a browser with the HTML content type and header, without rendering a body', async () => {
    const { handler, calls } = setup()
    const head = response(await handler.handle(get('/article', CHROME, 'HEAD')))
    expect(head.status).toBe(402)
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(head.headers.get(PAYMENT_REQUIRED_HEADER)).toBeTruthy()
    expect(head.body).toBeNull()
    expect(calls).toHaveLength(0)
  })

  test.each([
    ['no Accept header', null],
    ['*/* (fetch, curl)', '*/*'],
    ['application/json', 'application/json'],
    ['JSON and HTML at the same quality', 'application/json, text/html'],
    ['HTML below JSON', 'text/html;q=0.5, application/json'],
    ['HTML refused with q=0', 'text/html;q=0, */*'],
  ])('keeps the JSON 402 for API clients: %s', async (_what, accept) => {
    const { handler, calls } = setup()
    const res = response(await handler.handle(get('/article', accept)))
    expect(res.status).toBe(402)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect((await res.json()).accepts).toHaveLength(1)
    expect(calls).toHaveLength(0)
  })

  test('keeps the JSON 402 for other methods, routes with paywall: false, and requests that carry a payment', async () => {
    const { handler, calls } = setup()
    const post = response(await handler.handle(get('/any-method', CHROME, 'POST')))
    expect(post.headers.get('content-type')).toBe('application/json')
    const optedOut = response(await handler.handle(get('/api-only', CHROME)))
    expect(optedOut.headers.get('content-type')).toBe('application/json')
    const unpaid = response(await handler.handle(get('/article', 'application/json')))
    const paymentRequired = decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    const signed = new Request('http://shop.test/article', {
      headers: {
        accept: CHROME,
        [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature({
          x402Version: 2,
          resource: paymentRequired.resource,
          accepted: paymentRequired.accepts[0] ?? ({} as never),
          payload: { from: 'alice', to: 'shop', amount: '25', nonce: 'n-1' },
        }),
      },
    })
    expect((await handler.handle(signed)).kind).toBe('paid')
    expect(calls).toHaveLength(0)
  })

  test("a route's own renderer replaces the handler's", async () => {
    const { handler, calls } = setup()
    const res = response(await handler.handle(get('/own-page', CHROME)))
    expect(await res.text()).toBe('<p>route page</p>')
    expect(calls).toHaveLength(0)
  })

  test.each([
    [
      'throws',
      () => {
        throw new Error('template bug')
      },
    ],
    ['rejects', () => Promise.reject(new Error('template bug'))],
    ['answers a non-string', () => 42 as never],
  ])('falls back to the JSON 402 when the renderer %s', async (_what, paywall: PaywallRenderer) => {
    const { handler } = setup(paywall)
    const res = response(await handler.handle(get('/article', CHROME)))
    expect(res.status).toBe(402)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get(PAYMENT_REQUIRED_HEADER)).toBeTruthy()
  })

  test('sends browsers the JSON 402 when no paywall is configured', async () => {
    const facilitator = createFacilitator({ schemes: [cashFacilitator({})] })
    const server = createResourceServer({ facilitator, schemes: [cashServer()] })
    const handler = createHttpPaymentHandler(server, { routes })
    const res = response(await handler.handle(get('/article', CHROME)))
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  test.each([
    ['handler option', { routes, paywall: '<html>' as never }],
    ['route option', { routes: { 'GET /x': { accepts, paywall: true as never } } }],
  ])('refuses a paywall that is not a function (%s) as invalid_config', (_what, options) => {
    const facilitator = createFacilitator({ schemes: [cashFacilitator({})] })
    const server = createResourceServer({ facilitator, schemes: [cashServer()] })
    let error: unknown
    try {
      createHttpPaymentHandler(server, options)
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('paywall')
  })
})

describe('prefersHtml', () => {
  test.each([
    [CHROME, true],
    [FIREFOX, true],
    [SAFARI, true],
    ['TEXT/HTML', true],
    ['text/html;level=1;q=0.8, application/json;q=0.7', true],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html', false],
    ['text/html;q=0', false],
    ['text/html;q=abc', false],
    ['', false],
    [null, false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected)
  })
})
