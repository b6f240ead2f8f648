import { type Devnet, startDevnet } from '@open402/devnet'
import { decodePaymentResponseHeader } from '@x402/fetch'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createOfficialPaidFetch } from '../src/official/official-client.js'
import {
  startOpen402ExpressServer,
  startOpen402FacilitatorServer,
  startOpen402HonoServer,
} from '../src/open402/start-open402-servers.js'
import { PAID_PATH, PRICE_ATOMIC } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import { balances, expectSettledPayment } from './support/expect-settled.js'

describe('the official @x402/fetch client pays an open402 resource server and facilitator', () => {
  let devnet: Devnet
  let facilitator: RunningServer
  const servers: RunningServer[] = []

  beforeAll(async () => {
    devnet = await startDevnet()
    facilitator = await startOpen402FacilitatorServer(devnet, devnet.evm.accounts.facilitator.privateKey)
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    await facilitator?.close()
    await devnet?.stop()
  })

  const frameworks = [
    { name: '@open402/hono', start: startOpen402HonoServer },
    { name: '@open402/express', start: startOpen402ExpressServer },
  ]

  test.each(frameworks)('pays GET /weather on $name and receives the settled transfer', async ({ start }) => {
    const server = await start(devnet, facilitator.url)
    servers.push(server)
    const before = await balances(devnet)

    const response = await createOfficialPaidFetch(
      devnet,
      devnet.evm.accounts.payer,
    )(`${server.url}${PAID_PATH}`)

    const header = response.headers.get('PAYMENT-RESPONSE')
    expect(header).not.toBeNull()
    await expectSettledPayment(devnet, response, decodePaymentResponseHeader(header ?? ''), before)
  })

  test.each(frameworks)(
    '$name answers an unpaid request with 402 offering the price in the devnet token',
    async ({ start }) => {
      const server = await start(devnet, facilitator.url)
      servers.push(server)

      const response = await fetch(`${server.url}${PAID_PATH}`)

      expect(response.status).toBe(402)
      const header = response.headers.get('PAYMENT-REQUIRED') ?? ''
      const paymentRequired = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
      expect(paymentRequired).toMatchObject({
        x402Version: 2,
        resource: { url: `${server.url}${PAID_PATH}` },
        accepts: [
          {
            scheme: 'exact',
            network: devnet.evm.network,
            amount: PRICE_ATOMIC.toString(),
            asset: devnet.evm.token.address,
            payTo: devnet.evm.accounts.merchant.address,
            extra: { name: devnet.evm.token.name, version: devnet.evm.token.version },
          },
        ],
      })
    },
  )
})
