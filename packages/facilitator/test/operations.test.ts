import type { FacilitatorClient, PaymentPayload, PaymentRequirements, SupportedResponse } from '@open402/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createFacilitatorApp } from '../src/create-facilitator-app.js'
import { createFacilitatorMetrics } from '../src/facilitator-metrics.js'
import { createDrain } from '../src/http/drain.js'
import {
  type FacilitatorServer,
  type FacilitatorServerOptions,
  startFacilitatorServer,
} from '../src/start-facilitator-server.js'
import { captureLogs } from './log-capture.js'

const NETWORK = 'eip155:31337'
const SIGNATURE = `0x${'ab'.repeat(65)}`
const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: NETWORK,
  amount: '1000',
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  payTo: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  maxTimeoutSeconds: 300,
  extra: { name: 'USD Coin', version: '2' },
}
const payment = (req: PaymentRequirements): PaymentPayload => ({
  x402Version: 2,
  resource: { url: 'http://localhost/paid' },
  accepted: req,
  payload: { signature: SIGNATURE, authorization: {} },
})
const body = (req: PaymentRequirements = requirements) =>
  JSON.stringify({ x402Version: 2, paymentPayload: payment(req), paymentRequirements: req })

const API_KEY = 'test-api-key-0123456789abcdef'
const OTHER_API_KEY = 'other-api-key-0123456789abcdef'

/** A facilitator that accepts amount 1000 and refuses others; `hold()` makes settles wait for `release()`. */
function stubFacilitator() {
  let gate: Promise<void> | undefined
  let open: (() => void) | undefined
  let started: (() => void) | undefined
  const stub = {
    settles: 0,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve
      })
      return new Promise<void>((resolve) => {
        started = resolve
      })
    },
    release() {
      open?.()
      gate = undefined
    },
  }
  const facilitator: FacilitatorClient = {
    async verify(_payload, req) {
      return req.amount === '1000'
        ? { isValid: true, payer: '0xpayer' }
        : { isValid: false, invalidReason: 'invalid_exact_evm_authorization_value', invalidMessage: 'amount' }
    },
    async settle(_payload, req) {
      stub.settles++
      started?.()
      if (gate) await gate
      return { success: true, transaction: `0x${'cd'.repeat(32)}`, network: req.network, payer: '0xpayer' }
    },
    async supported(): Promise<SupportedResponse> {
      return { kinds: [{ x402Version: 2, scheme: 'exact', network: NETWORK }], extensions: [], signers: {} }
    },
  }
  return { facilitator, stub }
}

const servers: FacilitatorServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.shutdown({ timeoutMs: 100 })))
})

async function start(options: Partial<FacilitatorServerOptions> = {}) {
  const { facilitator, stub } = stubFacilitator()
  const logs = captureLogs()
  const server = await startFacilitatorServer({ facilitator, logger: logs.logger, ...options })
  servers.push(server)
  const post = (path: string, headers: Record<string, string> = {}, text = body()) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: text,
    })
  return { server, stub, logs, post }
}

describe('API key authentication', () => {
  it('answers 401 unauthorized on /verify and /settle without a configured key', async () => {
    const { post, stub } = await start({ auth: { apiKeys: [API_KEY, OTHER_API_KEY] } })
    for (const path of ['/verify', '/settle']) {
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer wrong-key-0123456789abcdef' },
        { 'x-api-key': 'nope' },
      ]) {
        const response = await post(path, headers)
        expect(response.status).toBe(401)
        expect(await response.json()).toMatchObject({ error: 'unauthorized' })
      }
    }
    expect(stub.settles).toBe(0)
  })

  it('accepts a key as a Bearer token or in X-API-Key', async () => {
    const { post } = await start({ auth: { apiKeys: [API_KEY, OTHER_API_KEY] } })
    const bearer = await post('/verify', { authorization: `Bearer ${API_KEY}` })
    expect(bearer.status).toBe(200)
    expect(await bearer.json()).toEqual({ isValid: true, payer: '0xpayer' })
    const header = await post('/settle', { 'x-api-key': OTHER_API_KEY })
    expect(header.status).toBe(200)
    expect(await header.json()).toMatchObject({ success: true })
  })

  it('leaves /supported, /healthz, /readyz and /metrics open unless metrics are protected', async () => {
    const { server } = await start({ auth: { apiKeys: [API_KEY] } })
    const statuses = await Promise.all(
      ['/supported', '/healthz', '/readyz', '/metrics'].map(
        async (path) => (await fetch(`${server.url}${path}`)).status,
      ),
    )
    expect(statuses).toEqual([200, 200, 200, 200])

    const guarded = await start({ auth: { apiKeys: [API_KEY], protectMetrics: true } })
    expect((await fetch(`${guarded.server.url}/metrics`)).status).toBe(401)
    const withKey = await fetch(`${guarded.server.url}/metrics`, { headers: { 'x-api-key': API_KEY } })
    expect(withKey.status).toBe(200)
  })

  it('never writes the API key or the payment signature to the logs', async () => {
    const { post, logs } = await start({ auth: { apiKeys: [API_KEY] } })
    await post('/settle', { authorization: `Bearer ${API_KEY}` })
    await post('/verify', { 'x-api-key': 'wrong-key-0123456789abcdef' })
    expect(logs.lines.filter((line) => line.msg === 'request').map((line) => line.status)).toEqual([200, 401])
    expect(logs.text()).not.toContain(API_KEY)
    expect(logs.text()).not.toContain(SIGNATURE.slice(2, 40))
  })
})

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After once a client used its requests', async () => {
    const { post, server } = await start({ rateLimit: { requests: 2, windowMs: 60_000 } })
    expect((await post('/verify')).status).toBe(200)
    expect((await post('/settle')).status).toBe(200)
    const limited = await post('/verify')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('30')
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' })
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('counts an authenticated client by its key and failed key attempts by address', async () => {
    const { post } = await start({
      auth: { apiKeys: [API_KEY, OTHER_API_KEY] },
      rateLimit: { requests: 1, windowMs: 60_000 },
    })
    expect((await post('/verify', { 'x-api-key': API_KEY })).status).toBe(200)
    expect((await post('/verify', { 'x-api-key': API_KEY })).status).toBe(429)
    expect((await post('/verify', { 'x-api-key': OTHER_API_KEY })).status).toBe(200)
    expect((await post('/verify', { 'x-api-key': 'guess-0000000000000001' })).status).toBe(401)
    expect((await post('/verify', { 'x-api-key': 'guess-0000000000000002' })).status).toBe(429)
  })

  it('limits clients by X-Forwarded-For only when told to trust the proxy', async () => {
    const trusting = await start({ rateLimit: { requests: 1, windowMs: 60_000 }, trustProxy: true })
    expect((await trusting.post('/verify', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200)
    expect((await trusting.post('/verify', { 'x-forwarded-for': '203.0.113.2, 10.0.0.1' })).status).toBe(200)
    expect((await trusting.post('/verify', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429)

    const direct = await start({ rateLimit: { requests: 1, windowMs: 60_000 } })
    expect((await direct.post('/verify', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200)
    expect((await direct.post('/verify', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429)
  })
})

describe('/readyz', () => {
  it('answers 200 with every check when all pass', async () => {
    const { server } = await start({ readiness: [{ name: 'storage', check: async () => 'pong' }] })
    const response = await fetch(`${server.url}/readyz`)
    expect(response.status).toBe(200)
    const report = await response.json()
    expect(report.ready).toBe(true)
    expect(report.checks.storage).toMatchObject({ ok: true })
  })

  it('answers 503 naming the failing and the timed-out checks', async () => {
    const { server } = await start({
      readinessTimeoutMs: 100,
      readiness: [
        { name: 'storage', check: async () => Promise.reject(new Error('connection refused')) },
        {
          name: 'rpc eip155:1',
          check: (signal) => new Promise((resolve) => signal.addEventListener('abort', resolve)),
        },
        { name: 'rpc eip155:10', check: async () => undefined },
      ],
    })
    const response = await fetch(`${server.url}/readyz`)
    expect(response.status).toBe(503)
    const report = await response.json()
    expect(report.ready).toBe(false)
    expect(report.checks.storage).toMatchObject({ ok: false, error: 'connection refused' })
    expect(report.checks['rpc eip155:1']).toMatchObject({ ok: false, error: 'no answer within 100 ms' })
    expect(report.checks['rpc eip155:10']).toMatchObject({ ok: true })
  })

  it('answers 503 draining, and refuses new payments, once a shutdown started', async () => {
    const drain = createDrain()
    const app = createFacilitatorApp(stubFacilitator().facilitator, { drain, logger: captureLogs().logger })
    expect((await app.request('/readyz')).status).toBe(200)
    await drain.drain(10)
    const ready = await app.request('/readyz')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ ready: false, draining: true, checks: {} })
    const settle = await app.request('/settle', { method: 'POST', body: body() })
    expect(settle.status).toBe(503)
    expect(settle.headers.get('connection')).toBe('close')
    expect(await settle.json()).toMatchObject({ error: 'facilitator_unavailable' })
  })
})

describe('/metrics', () => {
  it('counts verify and settle outcomes by scheme, network, result and reason, with latencies', async () => {
    const metrics = createFacilitatorMetrics()
    const { post, server } = await start({ metrics })
    await post('/verify')
    await post('/verify', {}, body({ ...requirements, amount: '1' }))
    await post('/settle')
    await post('/verify', {}, body({ ...requirements, network: 'eip155:999999' }))
    await post('/verify', {}, 'not json')
    const response = await fetch(`${server.url}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await response.text()
    const series = (line: string) => text.split('\n').filter((row) => row.startsWith(line))
    expect(series('open402_verify_total{')).toEqual([
      'open402_verify_total{scheme="exact",network="eip155:31337",result="valid",reason="none"} 1',
      'open402_verify_total{scheme="exact",network="eip155:31337",result="invalid",reason="invalid_exact_evm_authorization_value"} 1',
      'open402_verify_total{scheme="other",network="other",result="valid",reason="none"} 1',
    ])
    expect(series('open402_settle_total{')).toEqual([
      'open402_settle_total{scheme="exact",network="eip155:31337",result="success",reason="none"} 1',
    ])
    expect(series('open402_settle_duration_seconds_count{')).toEqual([
      'open402_settle_duration_seconds_count{scheme="exact",network="eip155:31337",result="success"} 1',
    ])
    expect(series('open402_verify_duration_seconds_count{').length).toBe(3)
    expect(series('open402_settlements_pending ')).toEqual(['open402_settlements_pending 0'])
    expect(series('open402_http_requests_total{method="POST",route="/verify",status="400"}')).toEqual([
      'open402_http_requests_total{method="POST",route="/verify",status="400"} 1',
    ])
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m)
  })

  it('shows a settlement as pending while it is in flight', async () => {
    const { post, server, stub } = await start()
    const started = stub.hold()
    const settling = post('/settle')
    await started
    const during = await (await fetch(`${server.url}/metrics`)).text()
    expect(during).toMatch(/^open402_settlements_pending 1$/m)
    stub.release()
    expect((await settling).status).toBe(200)
    const after = await (await fetch(`${server.url}/metrics`)).text()
    expect(after).toMatch(/^open402_settlements_pending 0$/m)
  })

  it('keeps each app in a registry of its own', async () => {
    const first = await start()
    const second = await start()
    await first.post('/verify')
    const text = await (await fetch(`${second.server.url}/metrics`)).text()
    expect(text).not.toMatch(/^open402_verify_total\{/m)
  })
})

describe('request logs', () => {
  it('writes one JSON line per request with method, path, status, duration and reason', async () => {
    const { post, server, logs } = await start()
    await post('/verify', {}, body({ ...requirements, amount: '1' }))
    await fetch(`${server.url}/nope`)
    const lines = logs.lines.filter((line) => line.msg === 'request')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/verify',
      status: 200,
      reason: 'invalid_exact_evm_authorization_value',
      client: '127.0.0.1',
    })
    expect(typeof lines[0]?.durationMs).toBe('number')
    expect(lines[1]).toMatchObject({ method: 'GET', path: '/nope', status: 404, reason: 'not_found' })
  })
})

describe('graceful shutdown', () => {
  it('finishes an in-flight settle, refuses new connections, then closes', async () => {
    const { post, server, stub } = await start()
    const started = stub.hold()
    const settling = post('/settle')
    await started
    const closing = server.shutdown({ timeoutMs: 5000 })
    let closed = false
    void closing.then(() => {
      closed = true
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(closed).toBe(false)
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    stub.release()
    const response = await settling
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ success: true })
    expect(await closing).toEqual({ drained: true })
  })

  it('gives up waiting after the timeout and reports that it did not drain', async () => {
    const { post, server, stub } = await start()
    const started = stub.hold()
    const settling = post('/settle').then(
      (response) => response.status,
      () => 'cut',
    )
    await started
    expect(await server.shutdown({ timeoutMs: 50 })).toEqual({ drained: false })
    expect(await settling).toBe('cut')
    stub.release()
  })
})
