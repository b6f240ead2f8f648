import { createRequire } from 'node:module'
import { getPaymentResponse as getAxiosPaymentResponse, withPayments } from '@open402/axios'
import {
  allowNetworks,
  createPaymentClient,
  isX402Error,
  maxAmount,
  type PaymentPolicy,
  type PaymentRequired,
} from '@open402/core'
import { type Devnet, devnetChain, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import axios from 'axios'
import { Hono } from 'hono'
import { createWalletClient, http, publicActions } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { settle, verify } from 'x402/facilitator'
import { paymentMiddleware } from 'x402-express'
import { PAID_BODY, PAID_PATH, PRICE_USD } from '../src/paid-route.js'
import { type RunningServer, serveFetch, serveNode } from '../src/serve.js'
import { balances, expectSettledPayment } from './support/expect-settled.js'

// x402 V1 end to end: an x402-express 1.2.0 server (the official legacy packages, unmodified) settling
// through the legacy `x402` 1.2.0 facilitator functions, on a devnet standing in for Base Sepolia, paid by
// open402's client. V1 knows only public network names, so the server says `base-sepolia` and uses its
// built-in Base Sepolia USDC address, where the stand-in devnet has its token.

// x402-express 1.x needs express 4 (installed as `express4`), which has no type declarations of its own.
const express = createRequire(import.meta.url)('express4') as typeof import('express')

const PREMIUM_PATH = '/premium'
const PREMIUM_PRICE_USD = '$0.50'

/** The legacy facilitator's verify and settle behind HTTP, signing with `privateKey` on the devnet. */
function legacyFacilitatorApp(devnet: Devnet, privateKey: `0x${string}`, calls: string[]): Hono {
  const wallet = createWalletClient({
    account: privateKeyToAccount(privateKey),
    chain: devnetChain(devnet),
    transport: http(devnet.evm.rpcUrl),
    pollingInterval: 50,
  }).extend(publicActions)
  // The legacy types pin their own viem generics; the client is the viem wallet they expect.
  const signer = wallet as unknown as Parameters<typeof settle>[0]
  const app = new Hono()
  app.get('/supported', (c) =>
    c.json({ kinds: [{ x402Version: 1, scheme: 'exact', network: 'base-sepolia' }] }),
  )
  app.post('/verify', async (c) => {
    const { paymentPayload, paymentRequirements } = await c.req.json()
    calls.push('verify')
    return c.json(await verify(signer, paymentPayload, paymentRequirements))
  })
  app.post('/settle', async (c) => {
    const { paymentPayload, paymentRequirements } = await c.req.json()
    calls.push('settle')
    return c.json(await settle(signer, paymentPayload, paymentRequirements))
  })
  return app
}

describe('the open402 client pays an x402 V1 server (x402-express 1.2.0) on the Base Sepolia stand-in', () => {
  let devnet: Devnet
  let facilitator: RunningServer
  let server: RunningServer
  const facilitatorCalls: string[] = []
  const xPayments: string[] = []

  beforeAll(async () => {
    devnet = await startDevnet({ standIn: 'base-sepolia' })
    facilitator = await serveFetch(
      legacyFacilitatorApp(devnet, devnet.evm.accounts.facilitator.privateKey, facilitatorCalls).fetch,
    )
    const app = express()
    app.use((req, _res, next) => {
      const header = req.header('X-PAYMENT')
      if (header) xPayments.push(header)
      next()
    })
    app.use(
      paymentMiddleware(
        devnet.evm.accounts.merchant.address,
        {
          [`GET ${PAID_PATH}`]: { price: PRICE_USD, network: 'base-sepolia' },
          [`GET ${PREMIUM_PATH}`]: { price: PREMIUM_PRICE_USD, network: 'base-sepolia' },
        },
        { url: facilitator.url as `${string}://${string}` },
      ),
    )
    app.get(PAID_PATH, (_req, res) => {
      res.json(PAID_BODY)
    })
    app.get(PREMIUM_PATH, (_req, res) => {
      res.json({ premium: true })
    })
    server = await serveNode(app)
  })
  afterAll(async () => {
    await server?.close()
    await facilitator?.close()
    await devnet?.stop()
  })

  // No `assets` option: the client knows Base Sepolia USDC from its built-in table, as on the real network.
  const client = (policies: PaymentPolicy[]) =>
    createPaymentClient({
      schemes: [exactEvmClient({ account: privateKeyToAccount(devnet.evm.accounts.payer.privateKey) })],
      policies,
    })

  test('the server answers a V1 402: a JSON body with x402Version 1 and no PAYMENT-REQUIRED header', async () => {
    const response = await fetch(`${server.url}${PAID_PATH}`)
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).toBeNull()
    expect(await response.json()).toMatchObject({
      x402Version: 1,
      accepts: [
        {
          scheme: 'exact',
          network: 'base-sepolia',
          maxAmountRequired: '1000',
          asset: devnet.evm.token.address,
          payTo: devnet.evm.accounts.merchant.address,
          extra: { name: 'USDC', version: '2' },
        },
      ],
    })
  })

  test('wrapFetch pays GET /weather with X-PAYMENT and reads X-PAYMENT-RESPONSE; the funds move on chain', async () => {
    const seen: PaymentRequired[] = []
    const paidFetch = wrapFetch(fetch, client([maxAmount('$0.01'), allowNetworks(['eip155:84532'])]), {
      onPaymentRequired: (required) => {
        seen.push(required)
      },
    })
    const before = await balances(devnet)
    const paymentsBefore = xPayments.length

    const response = await paidFetch(`${server.url}${PAID_PATH}`)

    // The policies saw the V1 offer as CAIP-2 eip155:84532 and 1000 atomic units.
    expect(
      seen.map((required) => required.accepts.map(({ network, amount }) => ({ network, amount }))),
    ).toEqual([[{ network: 'eip155:84532', amount: '1000' }]])
    const sent = xPayments.slice(paymentsBefore)
    expect(sent).toHaveLength(1)
    expect(JSON.parse(Buffer.from(sent[0] as string, 'base64').toString('utf8'))).toMatchObject({
      x402Version: 1,
      scheme: 'exact',
      network: 'base-sepolia',
      payload: { authorization: { from: devnet.evm.accounts.payer.address, value: '1000' } },
    })
    expect(response.headers.get('X-PAYMENT-RESPONSE')).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const settlement = getPaymentResponse(response)
    expect(settlement).toMatchObject({ success: true, network: 'eip155:84532' })
    await expectSettledPayment(devnet, response, settlement, before)
    expect(facilitatorCalls.slice(-2)).toEqual(['verify', 'settle'])
  })

  test('an axios instance with withPayments pays the same V1 route the same way', async () => {
    const instance = withPayments(axios.create(), client([maxAmount('$0.01')]))
    const before = await balances(devnet)
    const paymentsBefore = xPayments.length

    const response = await instance.get(`${server.url}${PAID_PATH}`)

    expect(xPayments.length - paymentsBefore).toBe(1)
    const settlement = getAxiosPaymentResponse(response)
    expect(settlement).toMatchObject({ success: true, network: 'eip155:84532' })
    const asFetchResponse = new Response(JSON.stringify(response.data), { status: response.status })
    await expectSettledPayment(devnet, asFetchResponse, settlement, before)
  })

  test('maxAmount refuses the $0.50 V1 offer with its reason, before anything is signed or paid', async () => {
    const paidFetch = wrapFetch(fetch, client([maxAmount('$0.10')]))
    const merchantBefore = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
    const paymentsBefore = xPayments.length

    const error = await paidFetch(`${server.url}${PREMIUM_PATH}`).catch((caught: unknown) => caught)

    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toBe(
      `paying for GET ${server.url}${PREMIUM_PATH}: no acceptable payment option: offer 1 (exact on eip155:84532, 500000 of ${devnet.evm.token.address}): maxAmount: 500000 atomic units exceed the cap of $0.1 (100000 units at 6 decimals)`,
    )
    expect(xPayments.length).toBe(paymentsBefore)
    expect(await tokenBalance(devnet, devnet.evm.accounts.merchant.address)).toBe(merchantBefore)
  })
})
