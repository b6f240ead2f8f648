import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type FacilitatorClient,
  type RoutesConfig,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import express from 'express'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paymentMiddleware } from '../src/index.js'

const PRICE_ATOMIC = 10_000n // $0.01 of a 6-decimal token

let devnet: Devnet
let baseUrl: string
let failingBaseUrl: string
const servers: Server[] = []
const handlerRuns: string[] = []

function listen(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
    servers.push(server)
  })
}

function buildApp(facilitator: FacilitatorClient): express.Express {
  const { network, token, accounts } = devnet.evm
  const accepts = { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address }
  const routes: RoutesConfig = {
    'GET /paid': { accepts, description: 'a paid report' },
    'POST /echo': { accepts },
    'GET /fails': { accepts },
    'GET /throws': { accepts },
    'GET /files/:name': { accepts },
  }
  const server = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const app = express()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/free', (_req, res) => {
    res.json({ free: true })
  })
  app.get('/paid', (_req, res) => {
    handlerRuns.push('paid')
    res.set('x-handler', 'yes').json({ secret: 'paid content' })
  })
  app.post('/echo', express.json(), (req, res) => {
    handlerRuns.push('echo')
    res.json({ received: req.body })
  })
  app.get('/fails', (_req, res) => {
    handlerRuns.push('fails')
    res.status(500).json({ error: 'database down' })
  })
  app.get('/throws', () => {
    handlerRuns.push('throws')
    throw new Error('handler exploded')
  })
  app.get('/files/:name', (req, res) => {
    handlerRuns.push('files')
    res.json({ secret: 'paid content', name: req.params.name })
  })
  return app
}

beforeAll(async () => {
  devnet = await startDevnet()
  const { network, rpcUrl, accounts } = devnet.evm
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: rpcUrl },
      }),
    ],
  })
  baseUrl = await listen(buildApp(facilitator))
  // Verifies for real but always fails to settle, to check that the handler's output is withheld.
  const failingSettle: FacilitatorClient = {
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    supported: () => facilitator.supported(),
    settle: async (_payload, requirements) => ({
      success: false,
      errorReason: 'invalid_exact_evm_transaction_failed',
      errorMessage: 'transaction reverted',
      transaction: '',
      network: requirements.network,
    }),
  }
  failingBaseUrl = await listen(buildApp(failingSettle))
})

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await devnet?.stop()
})

/** Requests `path`, expects a 402, pays it with the devnet payer and retries once with the same init. */
async function payAndRequest(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  const first = await fetch(`${base}${path}`, init)
  expect(first.status).toBe(402)
  const header = first.headers.get('PAYMENT-REQUIRED')
  expect(header).not.toBeNull()
  const client = createPaymentClient({
    schemes: [exactEvmClient({ account: privateKeyToAccount(devnet.evm.accounts.payer.privateKey) })],
  })
  const payment = await client.createPaymentPayload(decodePaymentRequired(header as string))
  const headers = new Headers(init.headers)
  headers.set('PAYMENT-SIGNATURE', encodePaymentSignature(payment))
  return fetch(`${base}${path}`, { ...init, headers })
}

const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

describe('express paymentMiddleware', () => {
  it('returns 402 with PAYMENT-REQUIRED when no signature is sent, without running the handler', async () => {
    const runs = handlerRuns.length
    const response = await fetch(`${baseUrl}/paid`)
    expect(response.status).toBe(402)
    const required = decodePaymentRequired(response.headers.get('PAYMENT-REQUIRED') as string)
    expect(required.accepts[0]).toMatchObject({
      scheme: 'exact',
      network: devnet.evm.network,
      amount: PRICE_ATOMIC.toString(),
      asset: devnet.evm.token.address,
      payTo: devnet.evm.accounts.merchant.address,
    })
    expect(required.resource.url).toBe(`${baseUrl}/paid`)
    expect(handlerRuns.length).toBe(runs)
  })

  it('lets free routes through untouched', async () => {
    const response = await fetch(`${baseUrl}/free`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ free: true })
  })

  it('serves a paid request with 200, the body, PAYMENT-RESPONSE, and pays the merchant', async () => {
    const before = await merchantBalance()
    const response = await payAndRequest(baseUrl, '/paid')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ secret: 'paid content' })
    expect(response.headers.get('x-handler')).toBe('yes')
    const settlement = decodePaymentResponse(response.headers.get('PAYMENT-RESPONSE') as string)
    expect(settlement).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await merchantBalance()).toBe(before + PRICE_ATOMIC)
  })

  it('does not settle when the handler answers 500', async () => {
    const before = await merchantBalance()
    const response = await payAndRequest(baseUrl, '/fails')
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'database down' })
    expect(response.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(await merchantBalance()).toBe(before)
  })

  it("does not settle when the handler throws; express's error handling answers", async () => {
    const before = await merchantBalance()
    const response = await payAndRequest(baseUrl, '/throws')
    expect(response.status).toBe(500)
    expect(response.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(await merchantBalance()).toBe(before)
  })

  it('leaves the POST body readable by the handler on the paid retry', async () => {
    const response = await payAndRequest(baseUrl, '/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'forecast?' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: { question: 'forecast?' } })
    expect(decodePaymentResponse(response.headers.get('PAYMENT-RESPONSE') as string).success).toBe(true)
  })

  it('sends the 402 and none of the handler output when settlement fails', async () => {
    const before = await merchantBalance()
    const runs = handlerRuns.length
    const response = await payAndRequest(failingBaseUrl, '/paid')
    const text = await response.text()
    expect(response.status).toBe(402)
    expect(handlerRuns.length).toBe(runs + 1)
    expect(text).not.toContain('paid content')
    expect(response.headers.get('x-handler')).toBeNull()
    expect(response.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
    expect(await merchantBalance()).toBe(before)
  })

  it('requires payment for HEAD on a GET route', async () => {
    const response = await fetch(`${baseUrl}/paid`, { method: 'HEAD' })
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
  })

  it('answers a malformed PAYMENT-SIGNATURE with 400 and a reason', async () => {
    const runs = handlerRuns.length
    const response = await fetch(`${baseUrl}/paid`, { headers: { 'PAYMENT-SIGNATURE': 'not base64!' } })
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/base64/)
    expect(handlerRuns.length).toBe(runs)
  })

  it.each([
    '/PAID',
    '/Paid',
    '/paid/',
    '/paid?x=1',
    '/files/a%2Fb',
    '/files/a%252Fb',
    '/FILES/x',
    '/files/a%2fb',
    '/files/a%5Cb',
  ])('requires payment for %s, which express routes to a paid handler', async (path) => {
    const runs = handlerRuns.length
    const response = await fetch(`${baseUrl}${path}`)
    expect(await response.text()).not.toContain('paid content')
    expect(response.status).toBe(402)
    expect(handlerRuns.length).toBe(runs)
  })
})
