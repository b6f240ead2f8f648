// A metered stream over real HTTP on the devnet: the client authorizes a maximum with `upto`, the server
// streams server-sent events priced per event through @open402/hono, and what was delivered is settled by
// the facilitator service (upto configured) when the stream ends or the client disconnects.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  maxAmount,
  type RoutesConfig,
  readMeteredStream,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { uptoEvmClient } from '@open402/evm/client'
import { uptoEvmServer } from '@open402/evm/server'
import {
  createFacilitatorFromConfig,
  type FacilitatorServer,
  startFacilitatorServer,
} from '@open402/facilitator'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { wrapFetch } from '../src/index.js'

const PRICE_PER_EVENT = 1000n // $0.001 of the 6-decimal devnet USDC
const MAX = 10_000n // $0.01 authorized

let devnet: Devnet<'evm'>
let facilitatorService: FacilitatorServer
let site: ServerType
let baseUrl: string
let failedStreams = 0

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  const { network, rpcUrl, token, accounts } = devnet.evm
  const { facilitator } = await createFacilitatorFromConfig({
    evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey], schemes: ['upto'] }],
  })
  facilitatorService = await startFacilitatorServer({ facilitator })
  const resourceServer = createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorService.url }),
    schemes: [uptoEvmServer({ assets: { [network]: token } })],
  })
  const accepts = { scheme: 'upto', network, price: '$0.01', payTo: accounts.merchant.address }
  const routes: RoutesConfig = {
    'GET /feed': { accepts, settlement: 'metered', meter: { per: 'event', price: '$0.001' } },
    'GET /broken': { accepts, settlement: 'metered', meter: { per: 'event', price: '$0.001' } },
  }
  const app = new Hono()
  app.use(paymentMiddleware(resourceServer, { routes }))
  app.get('/feed', (c) =>
    streamSSE(c, async (stream) => {
      const count = Number(c.req.query('count') ?? '5')
      for (let i = 1; i <= count; i++) {
        await stream.writeSSE({ event: 'price', data: JSON.stringify({ tick: i, usd: 1 + i / 100 }) })
        await stream.sleep(Number(c.req.query('gapMs') ?? '10'))
      }
    }),
  )
  app.get('/broken', () => {
    failedStreams++
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error('the feed is down'))
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  })
  site = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(site, 'listening')
  baseUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve))
  await facilitatorService?.close()
  await devnet?.stop()
})

const merchant = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)
function payingFetch(payerIndex: number) {
  const account = devnet.evm.accounts.others[payerIndex]
  if (!account) throw new Error('no such account')
  const client = createPaymentClient({
    schemes: [
      uptoEvmClient({
        account: privateKeyToAccount(account.privateKey),
        assets: { [devnet.evm.network]: devnet.evm.token },
      }),
    ],
    policies: [maxAmount('$0.01')],
  })
  return { paidFetch: wrapFetch(fetch, client), payer: account.address }
}
const settledSoon = async (before: bigint, expected: bigint) => {
  for (let i = 0; i < 100 && (await merchant()) - before < expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return (await merchant()) - before
}

describe('metered streams on the devnet (upto)', () => {
  test('the whole stream is settled at its end, per event, and the last event says so', async () => {
    const { paidFetch, payer } = payingFetch(0)
    const before = await merchant()
    const payerBefore = await tokenBalance(devnet, payer)
    const response = await paidFetch(`${baseUrl}/feed?count=6`)
    expect(response.status).toBe(200)
    const ticks: number[] = []
    const result = await readMeteredStream(response, {
      onEvent: (event) => void ticks.push(JSON.parse(event.data).tick),
    })
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6])
    expect(result.meter).toEqual({ per: 'event', price: PRICE_PER_EVENT.toString(), max: MAX.toString() })
    expect(result).toMatchObject({
      events: 6,
      spent: 6n * PRICE_PER_EVENT,
      settlement: { success: true, amount: '6000', payer },
    })
    expect(await merchant()).toBe(before + 6n * PRICE_PER_EVENT)
    expect(await tokenBalance(devnet, payer)).toBe(payerBefore - 6n * PRICE_PER_EVENT)
  })

  test('a client that disconnects at its cap pays only for the events it received', async () => {
    const { paidFetch } = payingFetch(1)
    const before = await merchant()
    const response = await paidFetch(`${baseUrl}/feed?count=9&gapMs=150`)
    const result = await readMeteredStream(response, { cap: 3n * PRICE_PER_EVENT })
    expect(result).toMatchObject({ events: 3, spent: 3000n, stoppedAtCap: true })
    expect(await settledSoon(before, 3000n)).toBe(3000n)
  })

  test('the stream never charges above the authorized maximum', async () => {
    const { paidFetch } = payingFetch(2)
    const before = await merchant()
    const result = await readMeteredStream(await paidFetch(`${baseUrl}/feed?count=12&gapMs=1`))
    expect(result).toMatchObject({ events: 12, spent: MAX, settlement: { success: true, amount: '10000' } })
    expect(await merchant()).toBe(before + MAX)
  })

  test('a stream that fails before its first event charges nothing', async () => {
    const { paidFetch, payer } = payingFetch(3)
    const payerBefore = await tokenBalance(devnet, payer)
    const response = await paidFetch(`${baseUrl}/broken`)
    const result = await readMeteredStream(response).catch(() => ({ events: 0, spent: 0n }))
    expect(result).toMatchObject({ events: 0, spent: 0n })
    expect(failedStreams).toBe(1)
    expect(await tokenBalance(devnet, payer)).toBe(payerBefore)
  })
})
