import type { FacilitatorClient, PaymentPayload, PaymentRequirements, SupportedResponse } from '@open402/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureLogs } from '../test/log-capture.js'
import { type FacilitatorServer, startFacilitatorServer } from './start-facilitator-server.js'

const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: 'eip155:31337',
  amount: '1000',
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  payTo: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  maxTimeoutSeconds: 300,
  extra: { name: 'USD Coin', version: '2' },
}
const payload: PaymentPayload = {
  x402Version: 2,
  resource: { url: 'http://localhost/paid' },
  accepted: requirements,
  payload: { signature: '0x00', authorization: {} },
}
const validBody = { x402Version: 2, paymentPayload: payload, paymentRequirements: requirements }

const supported: SupportedResponse = {
  kinds: [{ x402Version: 2, scheme: 'exact', network: 'eip155:31337' }],
  extensions: [],
  signers: { 'eip155:*': ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'] },
}

/** A facilitator that records what reached it; `throwOn` makes one operation fail unexpectedly. */
function recordingFacilitator() {
  const calls: { operation: string; requirements: PaymentRequirements }[] = []
  const state = { throwOn: undefined as string | undefined }
  const facilitator: FacilitatorClient = {
    async verify(_payload, req) {
      calls.push({ operation: 'verify', requirements: req })
      if (state.throwOn === 'verify') throw new Error('secret internal detail')
      return { isValid: true, payer: '0xpayer' }
    },
    async settle(_payload, req) {
      calls.push({ operation: 'settle', requirements: req })
      if (state.throwOn === 'settle') throw new Error('secret internal detail')
      return { success: true, transaction: '0xabc', network: req.network, payer: '0xpayer' }
    },
    async supported() {
      return supported
    },
  }
  return { facilitator, calls, state }
}

describe('facilitator HTTP service', () => {
  const recorder = recordingFacilitator()
  const logs = captureLogs()
  let server: FacilitatorServer

  beforeAll(async () => {
    server = await startFacilitatorServer({
      facilitator: recorder.facilitator,
      logger: logs.logger,
    })
  })
  afterAll(() => server.close())

  const post = (path: string, body: string | object, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })

  it('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers /healthz with ok', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('lists the facilitator kinds and signers at /supported', async () => {
    const response = await fetch(`${server.url}/supported`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(supported)
  })

  it.each(['verify', 'settle'])(
    'passes a valid /%s body to the facilitator and returns its answer',
    async (op) => {
      const before = recorder.calls.length
      const response = await post(`/${op}`, validBody)
      expect(response.status).toBe(200)
      const body = await response.json()
      expect(body).toEqual(
        op === 'verify'
          ? { isValid: true, payer: '0xpayer' }
          : { success: true, transaction: '0xabc', network: 'eip155:31337', payer: '0xpayer' },
      )
      expect(recorder.calls.slice(before)).toEqual([{ operation: op, requirements }])
    },
  )

  const { paymentRequirements: _omitted, ...withoutRequirements } = validBody
  it.each([
    ['non-JSON', 'not json{', /not valid JSON/],
    ['a JSON array', '[]', /\(body\): /],
    ['missing paymentRequirements', withoutRequirements, /^paymentRequirements: /],
    ['x402Version 1', { ...validBody, x402Version: 1 }, /^x402Version: x402Version must be 2/],
    [
      'a numeric amount',
      { ...validBody, paymentRequirements: { ...requirements, amount: 1000 } },
      /^paymentRequirements\.amount: /,
    ],
    [
      'a network that is not CAIP-2',
      { ...validBody, paymentRequirements: { ...requirements, network: 'base' } },
      /^paymentRequirements\.network: must be a CAIP-2 chain id/,
    ],
    [
      'a payload without accepted',
      { ...validBody, paymentPayload: { ...payload, accepted: undefined } },
      /^paymentPayload\.accepted: /,
    ],
  ])('rejects %s with 400 invalid_request_body and the reason', async (_name, body, message) => {
    const before = recorder.calls.length
    for (const op of ['verify', 'settle']) {
      const response = await post(`/${op}`, body)
      expect(response.status).toBe(400)
      const json = (await response.json()) as { error: string; message: string }
      expect(json.error).toBe('invalid_request_body')
      expect(json.message).toMatch(message)
    }
    expect(recorder.calls.length).toBe(before)
  })

  it('rejects a body over 64 KiB with 413 without calling the facilitator', async () => {
    const before = recorder.calls.length
    const big = { ...validBody, padding: 'x'.repeat(70 * 1024) }
    const response = await post('/settle', big)
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'invalid_request_body' })
    expect(recorder.calls.length).toBe(before)
  })

  it('rejects a chunked body that grows past 64 KiB with 413', async () => {
    const before = recorder.calls.length
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const response = await fetch(`${server.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'invalid_request_body' })
    expect(recorder.calls.length).toBe(before)
  })

  it('answers an unexpected exception with a generic 500 and logs it server-side', async () => {
    recorder.state.throwOn = 'settle'
    try {
      const response = await post('/settle', validBody)
      expect(response.status).toBe(500)
      const text = await response.text()
      expect(JSON.parse(text)).toEqual({
        error: 'unexpected_settle_error',
        message: 'the facilitator failed to settle the payment',
      })
      expect(text).not.toContain('secret internal detail')
      const logged = logs.lines.find((line) => line.msg === 'settle failed unexpectedly')
      expect((logged?.err as { message?: string } | undefined)?.message).toBe('secret internal detail')
    } finally {
      recorder.state.throwOn = undefined
    }
  })

  it('answers unknown paths and methods with 404 JSON', async () => {
    const unknown = await fetch(`${server.url}/nope`)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'not_found', message: 'no route for GET /nope' })
    const wrongMethod = await fetch(`${server.url}/verify`)
    expect(wrongMethod.status).toBe(404)
    expect(await wrongMethod.json()).toMatchObject({ error: 'not_found' })
  })
})
