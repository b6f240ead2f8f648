// A paid response lost after settlement, with axios: a site on the devnet that deduplicates by payment
// identifier, behind a proxy that drops the connection when the server starts answering the paid request.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createMemoryIdempotencyStore,
  createPaymentClient,
  createResourceServer,
  type PaymentPayload,
} from '@open402/core'
import { type Devnet, type LossyProxy, startDevnet, startLossyProxy, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import axios from 'axios'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getPaymentResponse, withPayments } from '../src/index.js'

const PRICE_ATOMIC = 10_000n // $0.01 of the 6-decimal devnet token

let devnet: Devnet<'evm'>
let server: ServerType
let proxy: LossyProxy
const runs: string[] = []

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
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
  const app = new Hono()
  app.use(
    paymentMiddleware(resourceServer, {
      routes: {
        'POST /orders': {
          accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address },
        },
      },
      idempotency: { store: createMemoryIdempotencyStore() },
    }),
  )
  app.post('/orders', async (c) => {
    runs.push(await c.req.text())
    return c.json({ order: runs.length }, 201)
  })
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    )
  })
  proxy = await startLossyProxy(port)
})

afterAll(async () => {
  await proxy?.close()
  await new Promise((resolve) => server?.close(resolve))
  await devnet?.stop()
})

describe('withPayments and a dropped connection', () => {
  test('the paid request is sent again with the same payment and gets the first answer; one payment', async () => {
    const { accounts, network, token } = devnet.evm
    const client = createPaymentClient({
      schemes: [
        exactEvmClient({
          account: privateKeyToAccount(accounts.payer.privateKey),
          assets: { [network]: token },
        }),
      ],
    })
    const signed: PaymentPayload[] = []
    const api = withPayments(axios.create({ baseURL: `http://127.0.0.1:${proxy.port}` }), client, {
      onPayment: (payment) => void signed.push(payment),
    })
    const merchantBefore = await tokenBalance(devnet, accounts.merchant.address)
    proxy.dropNextPaidResponse()

    const response = await api.post('/orders', { item: 'one book' })

    expect(response.status).toBe(201)
    expect(response.data).toEqual({ order: 1 })
    expect(getPaymentResponse(response)?.success).toBe(true)
    expect(proxy.dropped).toHaveLength(1)
    expect(proxy.paidRequests).toEqual([proxy.dropped[0], proxy.dropped[0]])
    expect(signed).toHaveLength(1)
    expect(runs).toEqual(['{"item":"one book"}'])
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(merchantBefore + PRICE_ATOMIC)
  })
})
