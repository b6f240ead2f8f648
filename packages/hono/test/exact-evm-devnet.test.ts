import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type PaymentPayload,
  type RoutesConfig,
} from '@open402/core'
import { type Devnet, type DevnetAccount, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient, exactEvmFacilitator, exactEvmServer } from '@open402/evm'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { paymentMiddleware } from '../src/index.js'
import { type NodeBridge, serveOverHttp } from './serve-over-http.js'

// Integration tests of the hono middleware with the real exact EVM scheme, settled on a local devnet by an
// in-process facilitator. Each test pays from its own `others` account so balances never interfere.
const CHEAP_ATOMIC = 1000n // "$0.001" of the 6-decimal devnet USDC
const SECRET = 'paid weather content'

let devnet: Devnet
let app: Hono
let flakyFails = false
const handlerRuns: string[] = []
let http: NodeBridge
/** Resolved by the SSE test once it has read the first event, to let the handler send the rest. */
let releaseRest: () => void = () => {}

beforeAll(async () => {
  devnet = await startDevnet()
  const { network, token, rpcUrl, accounts } = devnet.evm
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: { rpcUrl } },
      }),
    ],
  })
  const server = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const cheap = { scheme: 'exact', network, price: '$0.001', payTo: accounts.merchant.address }
  const routes: RoutesConfig = {
    'GET /paid': { accepts: cheap, description: 'Weather' },
    'GET /flaky': { accepts: cheap },
    'GET /expensive': { accepts: { ...cheap, price: '$0.01' } },
    'GET /events': { accepts: cheap, settlement: 'before', mimeType: 'text/event-stream' },
  }
  app = new Hono()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/paid', (c) => {
    handlerRuns.push('paid')
    return c.json({ secret: SECRET }, 200, { 'X-Handler': 'yes' })
  })
  app.get('/flaky', (c) => {
    handlerRuns.push('flaky')
    return flakyFails ? c.json({ error: 'database down' }, 500) : c.json({ secret: SECRET })
  })
  app.get('/expensive', (c) => {
    handlerRuns.push('expensive')
    return c.json({ secret: SECRET })
  })
  app.get('/events', (c) => {
    handlerRuns.push('events')
    const rest = new Promise<void>((resolve) => {
      releaseRest = resolve
    })
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'token', data: 'Hello' })
      await rest
      await stream.writeSSE({ event: 'token', data: 'world' })
      await stream.writeSSE({ event: 'done', data: '[DONE]' })
    })
  })
  http = await serveOverHttp(app)
})

afterAll(async () => {
  await http?.close()
  await devnet?.stop()
})

function payer(index: number): DevnetAccount {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}] account`)
  return account
}

/** Asks `path` for its 402 and signs its offer with `account`, as a wallet would. */
async function signFor(path: string, account: DevnetAccount): Promise<PaymentPayload> {
  const unpaid = await app.request(path)
  expect(unpaid.status).toBe(402)
  const client = createPaymentClient({
    schemes: [
      exactEvmClient({
        account: privateKeyToAccount(account.privateKey),
        assets: { [devnet.evm.network]: devnet.evm.token },
      }),
    ],
  })
  return client.createPaymentPayload(decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? ''))
}

function paidRequest(path: string, payment: PaymentPayload | string, method = 'GET'): Promise<Response> {
  const header = typeof payment === 'string' ? payment : encodePaymentSignature(payment)
  return Promise.resolve(app.request(path, { method, headers: { 'PAYMENT-SIGNATURE': header } }))
}

async function balances(account: DevnetAccount): Promise<{ payer: bigint; merchant: bigint }> {
  const [payerBalance, merchant] = await Promise.all([
    tokenBalance(devnet, account.address),
    tokenBalance(devnet, devnet.evm.accounts.merchant.address),
  ])
  return { payer: payerBalance, merchant }
}

/** The `error` field of the PaymentRequired in a 402's header. */
function refusalReason(response: Response): string | undefined {
  return decodePaymentRequired(response.headers.get('PAYMENT-REQUIRED') ?? '').error
}

describe('hono paymentMiddleware with the exact EVM scheme on a devnet', () => {
  test('answers an unpaid GET with 402 and the devnet USDC offer, uncacheable and CORS-readable', async () => {
    const runs = handlerRuns.length
    const res = await app.request('http://shop.test/paid')
    expect(res.status).toBe(402)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const exposed = res.headers.get('Access-Control-Expose-Headers') ?? ''
    expect(exposed).toContain('PAYMENT-REQUIRED')
    expect(exposed).toContain('PAYMENT-RESPONSE')
    const required = decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '')
    expect(required).toMatchObject({
      x402Version: 2,
      error: 'Payment required',
      resource: { url: 'http://shop.test/paid', description: 'Weather' },
    })
    expect(required.accepts).toHaveLength(1)
    expect(required.accepts[0]).toMatchObject({
      scheme: 'exact',
      network: devnet.evm.network,
      amount: CHEAP_ATOMIC.toString(),
      asset: devnet.evm.token.address,
      payTo: devnet.evm.accounts.merchant.address,
      extra: { name: 'USD Coin', version: '2' },
    })
    expect(await res.text()).not.toContain(SECRET)
    expect(handlerRuns.length).toBe(runs)
  })

  test('serves a paid GET, settles on chain and moves exactly the price from payer to merchant', async () => {
    const account = payer(0)
    const payment = await signFor('/paid', account)
    const before = await balances(account)
    const res = await paidRequest('/paid', payment)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ secret: SECRET })
    expect(res.headers.get('X-Handler')).toBe('yes')
    const settlement = decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')
    expect(settlement).toMatchObject({ success: true, network: devnet.evm.network, payer: account.address })
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    const after = await balances(account)
    expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
    expect(after.merchant - before.merchant).toBe(CHEAP_ATOMIC)
  })

  test('refuses a replayed PAYMENT-SIGNATURE without serving the content or settling again', async () => {
    const account = payer(1)
    const header = encodePaymentSignature(await signFor('/paid', account))
    const first = await paidRequest('/paid', header)
    expect(first.status).toBe(200)
    await first.body?.cancel()
    const before = await balances(account)
    const runs = handlerRuns.length

    const replay = await paidRequest('/paid', header)
    expect(replay.status).toBe(402)
    expect(refusalReason(replay)).toBe('invalid_exact_evm_nonce_already_used')
    expect(replay.headers.get('X-Handler')).toBeNull()
    expect(await replay.text()).not.toContain(SECRET)
    expect(handlerRuns.length).toBe(runs)
    expect(await balances(account)).toEqual(before)
  })

  test('settles nothing when the handler answers 500, so the same payment still works afterwards', async () => {
    const account = payer(2)
    const payment = await signFor('/flaky', account)
    const before = await balances(account)

    flakyFails = true
    try {
      const failed = await paidRequest('/flaky', payment)
      expect(failed.status).toBe(500)
      expect(await failed.json()).toEqual({ error: 'database down' })
      expect(failed.headers.get('PAYMENT-RESPONSE')).toBeNull()
    } finally {
      flakyFails = false
    }
    expect(await balances(account)).toEqual(before)

    const retried = await paidRequest('/flaky', payment)
    expect(retried.status).toBe(200)
    expect(await retried.json()).toEqual({ secret: SECRET })
    expect(decodePaymentResponse(retried.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
      success: true,
      payer: account.address,
    })
    const after = await balances(account)
    expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
    expect(after.merchant - before.merchant).toBe(CHEAP_ATOMIC)
  })

  test('refuses a payment for the cheap route on the expensive route with payment_requirements_mismatch', async () => {
    const account = payer(3)
    const payment = await signFor('/paid', account)
    const before = await balances(account)
    const runs = handlerRuns.length

    const res = await paidRequest('/expensive', payment)
    expect(res.status).toBe(402)
    expect(refusalReason(res)).toBe('payment_requirements_mismatch')
    expect(await res.json()).toMatchObject({ error: 'payment_requirements_mismatch' })
    const offer = decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '').accepts[0]
    expect(offer?.amount).toBe('10000')
    expect(handlerRuns.length).toBe(runs)
    expect(await balances(account)).toEqual(before)
  })

  test('refuses a payment whose signed amount was tampered with, with the verify reason', async () => {
    const account = payer(4)
    const payment = await signFor('/paid', account)
    const inner = payment.payload as { authorization: { value: string } }
    const tampered: PaymentPayload = {
      ...payment,
      payload: { ...payment.payload, authorization: { ...inner.authorization, value: '1000000' } },
    }
    const before = await balances(account)
    const runs = handlerRuns.length

    const res = await paidRequest('/paid', tampered)
    expect(res.status).toBe(402)
    expect([
      'invalid_exact_evm_payload_signature',
      'invalid_exact_evm_payload_authorization_value_mismatch',
    ]).toContain(refusalReason(res))
    expect(await res.text()).not.toContain(SECRET)
    expect(handlerRuns.length).toBe(runs)
    expect(await balances(account)).toEqual(before)
  })

  test('asks for payment on HEAD of a GET route and on upper-case path variants', async () => {
    const runs = handlerRuns.length
    const head = await app.request('/paid', { method: 'HEAD' })
    expect(head.status).toBe(402)
    expect(head.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
    expect(await head.text()).toBe('')
    for (const path of ['/PAID', '/Paid', '/pAiD']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(402)
      expect(decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '').accepts[0]?.amount).toBe(
        CHEAP_ATOMIC.toString(),
      )
    }
    expect(handlerRuns.length).toBe(runs)
  })
})

describe('settlement mode before over real HTTP', () => {
  test('settles once before the handler and streams server-sent events with PAYMENT-RESPONSE up front', async () => {
    const account = payer(5)
    const url = `${http.url}/events`
    const unpaid = await fetch(url)
    expect(unpaid.status).toBe(402)
    await unpaid.body?.cancel()
    const payment = await signFor('/events', account)
    const before = await balances(account)
    const runs = handlerRuns.length

    const res = await fetch(url, { headers: { 'PAYMENT-SIGNATURE': encodePaymentSignature(payment) } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    // The headers arrive while the handler is still holding back the rest of the stream.
    const settlement = decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')
    expect(settlement).toMatchObject({ success: true, payer: account.address })
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    const settled = await balances(account)
    expect(before.payer - settled.payer).toBe(CHEAP_ATOMIC)

    const raw = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    const reader = {
      read: async () => {
        const { value, done } = await raw.read()
        return { done, value: decoder.decode(value, { stream: !done }) }
      },
    }
    let text = ''
    while (!text.includes('data: Hello\n\n')) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`stream ended early: ${text}`)
      text += value
    }
    expect(text).toBe('event: token\ndata: Hello\n\n')
    releaseRest()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      text += value
    }
    expect(text).toBe(
      'event: token\ndata: Hello\n\nevent: token\ndata: world\n\nevent: done\ndata: [DONE]\n\n',
    )
    expect(handlerRuns.length).toBe(runs + 1)
    const after = await balances(account)
    expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
    expect(after.merchant - before.merchant).toBe(CHEAP_ATOMIC)
  })
})
