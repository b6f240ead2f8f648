import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentPayload, PaymentRequirements } from '../schemas/index.js'
import { createHttpFacilitatorClient } from './http-facilitator-client.js'

const requirements: PaymentRequirements = {
  scheme: 'cash',
  network: 'cash:test',
  amount: '1',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
}
const payload: PaymentPayload = { x402Version: 2, accepted: requirements, payload: { from: 'alice' } }
const supported = {
  kinds: [{ x402Version: 2, scheme: 'cash', network: 'cash:test' }],
  extensions: [],
  signers: {},
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
let handler: Handler
let server: Server
let base: string
const seen: { method: string; url: string; body: string; auth?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, auth: req.headers.authorization })
      handler(req, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  seen.length = 0
})

const json = (res: ServerResponse, status: number, value: unknown) => {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(typeof value === 'string' ? value : JSON.stringify(value))
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isX402Error(error)) return `${error.code}: ${error.message}`
    throw error
  }
  return 'resolved'
}

describe('createHttpFacilitatorClient', () => {
  test('posts {x402Version, paymentPayload, paymentRequirements} to /verify and /settle with auth headers', async () => {
    handler = (req, _body, res) =>
      req.url === '/f/verify'
        ? json(res, 200, { isValid: true, payer: 'alice' })
        : json(res, 200, { success: true, transaction: '0xabc', network: 'cash:test', payer: 'alice' })
    const client = createHttpFacilitatorClient({
      url: `${base}/f/`,
      headers: async () => ({ Authorization: 'Bearer t' }),
    })
    expect(await client.verify(payload, requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(await client.settle(payload, requirements)).toMatchObject({ success: true, transaction: '0xabc' })
    expect(seen.map((s) => `${s.method} ${s.url} ${s.auth}`)).toEqual([
      'POST /f/verify Bearer t',
      'POST /f/settle Bearer t',
    ])
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      x402Version: 2,
      paymentPayload: payload,
      paymentRequirements: requirements,
    })
  })

  test('follows a 308 redirect for POST, keeping the body, and for GET /supported', async () => {
    handler = (req, _body, res) => {
      if (req.url?.startsWith('/old/'))
        return void res.writeHead(308, { location: req.url.replace('/old/', '/new/') }).end()
      if (req.url === '/new/supported') return json(res, 200, supported)
      json(res, 200, { isValid: false, invalidReason: 'insufficient_funds' })
    }
    const client = createHttpFacilitatorClient({ url: `${base}/old` })
    expect(await client.verify(payload, requirements)).toEqual({
      isValid: false,
      invalidReason: 'insufficient_funds',
    })
    expect(await client.supported()).toEqual(supported)
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body.length > 0}`)).toEqual([
      'POST /old/verify true',
      'POST /new/verify true',
      'GET /old/supported false',
      'GET /new/supported false',
    ])
  })

  test('retries /supported on 429 and 5xx, then caches it', async () => {
    let calls = 0
    handler = (_req, _body, res) =>
      ++calls < 3 ? json(res, calls === 1 ? 429 : 503, { error: 'slow down' }) : json(res, 200, supported)
    const client = createHttpFacilitatorClient({ url: base })
    expect(await client.supported()).toEqual(supported)
    expect(await client.supported()).toEqual(supported)
    expect(calls).toBe(3)
  })

  test('gives up on /supported after three tries', async () => {
    handler = (_req, _body, res) => json(res, 429, { error: 'rate limited' })
    const client = createHttpFacilitatorClient({ url: base })
    expect(await codeOf(client.supported())).toBe(
      `facilitator_http_error: GET ${base}/supported: HTTP 429: rate limited`,
    )
    expect(seen).toHaveLength(3)
  })

  test('returns a non-2xx body that is a VerifyResponse or SettleResponse as the answer', async () => {
    handler = (req, _body, res) =>
      req.url === '/verify'
        ? json(res, 400, { isValid: false, invalidReason: 'invalid_payload', invalidMessage: 'bad sig' })
        : json(res, 500, {
            success: false,
            errorReason: 'unexpected_settle_error',
            transaction: '',
            network: 'cash:test',
          })
    const client = createHttpFacilitatorClient({ url: base })
    expect(await client.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidMessage: 'bad sig',
    })
    expect(await client.settle(payload, requirements)).toMatchObject({
      success: false,
      errorReason: 'unexpected_settle_error',
    })
  })

  test.each([
    [
      'a 500 with another body',
      500,
      '{"error":"internal"}',
      `facilitator_http_error: POST BASE/verify: HTTP 500: internal`,
    ],
    ['a 404 page', 404, '<html>not found</html>', 'facilitator_http_error: POST BASE/verify: HTTP 404'],
    [
      'a garbage 200',
      200,
      'not json',
      'facilitator_response_invalid: POST BASE/verify: invalid response: (root): ',
    ],
    [
      'a 200 of the wrong shape',
      200,
      '{"valid":true}',
      'facilitator_response_invalid: POST BASE/verify: invalid response: isValid: ',
    ],
  ])('throws on %s', async (_name, status, body, expected) => {
    handler = (_req, _body, res) => json(res, status, body)
    const client = createHttpFacilitatorClient({ url: base })
    expect(await codeOf(client.verify(payload, requirements))).toContain(expected.replace('BASE', base))
  })

  test('throws facilitator_unreachable on timeout', async () => {
    handler = () => {} // never answers
    const client = createHttpFacilitatorClient({ url: base, timeoutMs: 100 })
    expect(await codeOf(client.verify(payload, requirements))).toBe(
      `facilitator_unreachable: POST ${base}/verify: timed out after 100 ms`,
    )
  })

  test('throws facilitator_unreachable for a closed port', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const client = createHttpFacilitatorClient({ url: `http://127.0.0.1:${port}` })
    expect(await codeOf(client.settle(payload, requirements))).toMatch(
      /^facilitator_unreachable: POST http:\/\/127\.0\.0\.1:\d+\/settle: /,
    )
  })
})
