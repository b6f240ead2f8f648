// Idempotency end to end: a paid site on the devnet (exact EVM, real HTTP) that deduplicates by payment
// identifier, reached through a TCP proxy that can drop a connection the moment the server starts
// answering a paid request, after the payment settled. The client must get the content on its automatic
// retry, and the chain must show one transfer.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createMemoryIdempotencyStore,
  createPaymentClient,
  createResourceServer,
  declarePaymentIdentifier,
  decodePaymentRequired,
  encodePaymentSignature,
  PAYMENT_IDENTIFIER,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentPayload,
  type RoutesConfig,
} from '@open402/core'
import { type Devnet, type LossyProxy, startDevnet, startLossyProxy, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { createPublicClient, erc20Abi, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getPaymentResponse, wrapFetch } from '../src/index.js'

const PRICE_ATOMIC = 10_000n // $0.01 of the 6-decimal devnet token
const TTL_MS = 60 * 60 * 1000

let devnet: Devnet
let server: ServerType
let proxy: LossyProxy
let baseUrl: string
const clock = { now: Date.now() }
const handlerRuns: string[] = []

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
    idempotency: { store: createMemoryIdempotencyStore({ now: () => clock.now }), ttlMs: TTL_MS },
  })
  const resourceServer = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const accepts = { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address }
  const routes: RoutesConfig = {
    'GET /report': { accepts },
    'POST /orders': {
      accepts,
      extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifier({ required: true }) },
    },
  }
  const app = new Hono()
  app.use(
    paymentMiddleware(resourceServer, {
      routes,
      idempotency: { store: createMemoryIdempotencyStore({ now: () => clock.now }), ttlMs: TTL_MS },
    }),
  )
  app.get('/report', (c) => {
    handlerRuns.push('report')
    return c.json({ report: 'sunny', run: handlerRuns.length })
  })
  app.post('/orders', async (c) => {
    handlerRuns.push('orders')
    return c.json({ order: handlerRuns.length, item: await c.req.text() }, 201)
  })
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    )
  })
  proxy = await startLossyProxy(port)
  baseUrl = `http://127.0.0.1:${proxy.port}`
})

afterAll(async () => {
  await proxy?.close()
  await new Promise((resolve) => server?.close(resolve))
  await devnet?.stop()
})

/** A client paying from `others[index]`, so every test starts from its own balance. */
function payerClient(index: number) {
  const account = devnet.evm.accounts.others[index]
  if (account === undefined) throw new Error(`the devnet has no others[${index}]`)
  const client = createPaymentClient({
    schemes: [
      exactEvmClient({
        account: privateKeyToAccount(account.privateKey),
        assets: { [devnet.evm.network]: devnet.evm.token },
      }),
    ],
  })
  return { client, address: account.address }
}

/** Token transfers from `from` since `fromBlock`, read from the chain's logs. */
async function transfersFrom(from: `0x${string}`, fromBlock: bigint) {
  const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
  const logs = await chain.getContractEvents({
    address: devnet.evm.token.address,
    abi: erc20Abi,
    eventName: 'Transfer',
    args: { from },
    fromBlock,
  })
  return logs.map((log) => ({ to: log.args.to, value: log.args.value }))
}

async function blockNumber(): Promise<bigint> {
  return createPublicClient({ transport: http(devnet.evm.rpcUrl) }).getBlockNumber()
}

/** A signed payment for `path` (with payment identifier `id` when given), from a fresh 402. */
async function signedFor(index: number, path: string, method = 'GET', id?: string): Promise<PaymentPayload> {
  const unpaid = await fetch(`${baseUrl}${path}`, { method })
  const required = decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
  await unpaid.body?.cancel()
  return payerClient(index).client.createPaymentPayload(
    required,
    id === undefined ? {} : { paymentIdentifier: id },
  )
}

const send = (path: string, payment: PaymentPayload, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { ...init.headers, [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payment) },
  })

describe('a paid response lost after settlement', () => {
  test('the client retries with the same payment id and gets the content; the chain shows one transfer', async () => {
    const { client, address } = payerClient(0)
    const signed: PaymentPayload[] = []
    const paidFetch = wrapFetch(fetch, client, { onPayment: (payment) => void signed.push(payment) })
    const merchantBefore = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
    const from = (await blockNumber()) + 1n
    const runsBefore = handlerRuns.length
    proxy.dropNextPaidResponse()

    const response = await paidFetch(`${baseUrl}/report`)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ report: 'sunny', run: runsBefore + 1 })
    // The first paid attempt really lost its connection, and the retry carried the same signature.
    expect(proxy.dropped).toHaveLength(1)
    expect(proxy.paidRequests.slice(-2)).toEqual([proxy.dropped[0], proxy.dropped[0]])
    expect(signed).toHaveLength(1)
    expect(getPaymentResponse(response)).toMatchObject({ success: true, payer: address })
    expect(handlerRuns.length).toBe(runsBefore + 1)
    expect(await transfersFrom(address, from)).toEqual([
      { to: devnet.evm.accounts.merchant.address, value: PRICE_ATOMIC },
    ])
    expect(await tokenBalance(devnet, devnet.evm.accounts.merchant.address)).toBe(
      merchantBefore + PRICE_ATOMIC,
    )
  })

  test('a POST whose response is lost is not run twice: the retry replays the created order', async () => {
    const { client, address } = payerClient(1)
    const paidFetch = wrapFetch(fetch, client)
    const from = (await blockNumber()) + 1n
    const runsBefore = handlerRuns.length
    proxy.dropNextPaidResponse()

    const response = await paidFetch(`${baseUrl}/orders`, { method: 'POST', body: 'one book' })

    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ order: runsBefore + 1, item: 'one book' })
    expect(handlerRuns.length).toBe(runsBefore + 1)
    expect(await transfersFrom(address, from)).toHaveLength(1)
  })

  test('without retries the dropped connection is the caller’s error, and nothing is paid twice later', async () => {
    const { client, address } = payerClient(2)
    const from = (await blockNumber()) + 1n
    proxy.dropNextPaidResponse()
    await expect(wrapFetch(fetch, client, { paidRetries: 0 })(`${baseUrl}/report`)).rejects.toThrow(TypeError)
    // The payment settled before the connection dropped.
    expect(await transfersFrom(address, from)).toHaveLength(1)
  })
})

describe('payment identifiers over HTTP', () => {
  test('the same id with a different payment gets 409 and moves no money', async () => {
    const id = 'order_2024_conflict_0001'
    const from = (await blockNumber()) + 1n
    const first = await send('/orders', await signedFor(3, '/orders', 'POST', id), {
      method: 'POST',
      body: 'a',
    })
    expect(first.status).toBe(201)
    const other = await send('/orders', await signedFor(3, '/orders', 'POST', id), {
      method: 'POST',
      body: 'a',
    })
    expect(other.status).toBe(409)
    expect(await other.json()).toMatchObject({ error: 'payment_identifier_conflict' })
    expect(await transfersFrom(payerClient(3).address, from)).toHaveLength(1)
  })

  test('a route that requires an id answers 400 to a payment without one', async () => {
    const payment = await signedFor(4, '/orders', 'POST')
    const { [PAYMENT_IDENTIFIER]: _dropped, ...rest } = payment.extensions ?? {}
    const response = await send('/orders', { ...payment, extensions: rest }, { method: 'POST' })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'payment_identifier_required' })
  })

  test('after the ttl the id is forgotten: the same payment is verified again and refused as already used', async () => {
    const payment = await signedFor(5, '/report')
    expect((await send('/report', payment)).status).toBe(200)
    expect((await send('/report', payment)).status).toBe(200)
    clock.now += TTL_MS
    const expired = await send('/report', payment)
    expect(expired.status).toBe(402)
    const required = decodePaymentRequired(expired.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(required.error).toMatch(/nonce|used|transaction_state/)
  })
})
