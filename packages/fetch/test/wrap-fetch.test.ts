import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  encodePaymentRequired,
  isX402Error,
  maxAmount,
  type PaymentPayload,
  type PaymentRequired,
  type RoutesConfig,
  type SettleResponse,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getPaymentResponse, wrapFetch } from '../src/index.js'

const PRICE_ATOMIC = 10_000n // $0.01 of a 6-decimal token

let devnet: Devnet
let server: ServerType
let baseUrl: string
const hits: string[] = []

beforeAll(async () => {
  devnet = await startDevnet()
  const { network, rpcUrl, token, accounts } = devnet.evm
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: rpcUrl },
      }),
    ],
  })
  const resourceServer = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const accepts = { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address }
  const routes: RoutesConfig = { 'GET /report': { accepts }, 'POST /echo': { accepts } }

  // A 402 that always asks again, as a server whose payment never goes through would.
  const alwaysRequired: PaymentRequired = {
    x402Version: 2,
    resource: { url: 'http://localhost/stubborn' },
    accepts: [
      {
        scheme: 'exact',
        network,
        amount: '1000',
        asset: token.address,
        payTo: accounts.merchant.address,
        maxTimeoutSeconds: 300,
        extra: { name: token.name, version: token.version },
      },
    ],
  }

  const app = new Hono()
  app.use(async (c, next) => {
    hits.push(`${c.req.method} ${c.req.path} ${c.req.header('PAYMENT-SIGNATURE') ? 'signed' : 'unsigned'}`)
    await next()
  })
  app.use(paymentMiddleware(resourceServer, { routes }))
  app.get('/report', (c) => c.json({ report: 'sunny' }))
  app.post('/echo', async (c) => c.json({ received: await c.req.text() }))
  app.get('/garbled', (c) => c.json({}, 402, { 'PAYMENT-REQUIRED': 'eyJub3QiOiJqc29u' }))
  app.get('/no-header', (c) => c.json({ message: 'pay by other means' }, 402))
  app.get('/stubborn', (c) => c.json({}, 402, { 'PAYMENT-REQUIRED': encodePaymentRequired(alwaysRequired) }))

  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      baseUrl = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await devnet?.stop()
})

const payerClient = (policies: Parameters<typeof createPaymentClient>[0]['policies'] = []) =>
  createPaymentClient({
    schemes: [
      exactEvmClient({
        account: privateKeyToAccount(devnet.evm.accounts.payer.privateKey),
        assets: { [devnet.evm.network]: devnet.evm.token },
      }),
    ],
    policies,
  })
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)
const hitsSince = (start: number) => hits.slice(start)

describe('wrapFetch', () => {
  it('pays a 402 and returns the 200 with the settlement decoded', async () => {
    const steps: string[] = []
    const paidFetch = wrapFetch(fetch, payerClient(), {
      onPaymentRequired: (required: PaymentRequired) => {
        steps.push(`required ${required.accepts[0]?.amount}`)
      },
      onPayment: (payment: PaymentPayload) => {
        steps.push(`paying ${payment.accepted.amount}`)
      },
      onPaymentResponse: (settlement: SettleResponse | undefined) => {
        steps.push(`settled ${settlement?.success}`)
      },
    })
    const before = await merchantBalance()
    const start = hits.length

    const response = await paidFetch(`${baseUrl}/report`)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ report: 'sunny' })
    const settlement = getPaymentResponse(response)
    expect(settlement).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(steps).toEqual(['required 10000', 'paying 10000', 'settled true'])
    expect(hitsSince(start)).toEqual(['GET /report unsigned', 'GET /report signed'])
    expect(await merchantBalance()).toBe(before + PRICE_ATOMIC)
  })

  it('preserves a string POST body on the paid retry', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const response = await paidFetch(`${baseUrl}/echo`, { method: 'POST', body: 'the question' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: 'the question' })
    expect(getPaymentResponse(response)?.success).toBe(true)
  })

  it('preserves a ReadableStream body of a Request on the paid retry', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed '))
        controller.enqueue(new TextEncoder().encode('question'))
        controller.close()
      },
    })
    const request = new Request(`${baseUrl}/echo`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit)
    const response = await paidFetch(request)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: 'streamed question' })
  })

  it('rejects with payment_refused_by_policy and pays nothing when the price exceeds the cap', async () => {
    const paidFetch = wrapFetch(fetch, payerClient([maxAmount('$0.001')]))
    const before = await merchantBalance()
    const start = hits.length

    const error = await paidFetch(`${baseUrl}/report`).then(
      () => undefined,
      (reason: unknown) => reason,
    )

    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toContain(`paying for GET ${baseUrl}/report: `)
    expect((error as Error).message).toMatch(/exceed the cap of \$0\.001/)
    expect(hitsSince(start)).toEqual(['GET /report unsigned'])
    expect(await merchantBalance()).toBe(before)
  })

  it('returns a 402 without PAYMENT-REQUIRED unchanged', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const response = await paidFetch(`${baseUrl}/no-header`)
    expect(response.status).toBe(402)
    expect(await response.json()).toEqual({ message: 'pay by other means' })
    expect(hitsSince(start)).toEqual(['GET /no-header unsigned'])
  })

  it('rejects with invalid_header and pays nothing when PAYMENT-REQUIRED is malformed', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const error = await paidFetch(`${baseUrl}/garbled`).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(isX402Error(error, 'invalid_header')).toBe(true)
    expect((error as Error).message).toMatch(/PAYMENT-REQUIRED/)
    expect(hitsSince(start)).toEqual(['GET /garbled unsigned'])
  })

  it('retries only once when the server answers 402 again', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const response = await paidFetch(`${baseUrl}/stubborn`)
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
    expect(hitsSince(start)).toEqual(['GET /stubborn unsigned', 'GET /stubborn signed'])
  })
})
