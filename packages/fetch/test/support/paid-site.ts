// A paid site on the devnet shared by the fetch and axios client tests: real HTTP (@hono/node-server on
// port 0), @open402/hono in front, an in-process facilitator with the exact EVM scheme.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  encodePaymentRequired,
  type PaymentPolicy,
  type PaymentRequired,
  type RoutesConfig,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'

/** What the client tests use: the chain, the site's URL, a log of requests, a paying client, balances. */
export interface PaidSite {
  devnet: Devnet
  baseUrl: string
  /** One line per request: `METHOD /path signed|unsigned`. */
  hits: string[]
  payerClient(policies?: PaymentPolicy[]): ReturnType<typeof createPaymentClient>
  merchantBalance(): Promise<bigint>
  stop(): Promise<void>
}

/**
 * Starts the site: `GET /report` and `POST /echo` cost $0.01; `/garbled` answers a 402 with an undecodable
 * header, `/no-header` a 402 without one, and `/stubborn` asks for payment again after every payment.
 */
export async function startPaidSite(): Promise<PaidSite> {
  const devnet = await startDevnet()
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

  const hits: string[] = []
  const app = new Hono()
  app.use(async (c, next) => {
    hits.push(`${c.req.method} ${c.req.path} ${c.req.header('PAYMENT-SIGNATURE') ? 'signed' : 'unsigned'}`)
    await next()
  })
  app.use(paymentMiddleware(resourceServer, { routes }))
  app.get('/report', (c) => c.json({ report: 'sunny' }))
  app.post('/echo', async (c) =>
    c.json({ received: await c.req.text(), type: c.req.header('content-type') ?? null }),
  )
  app.get('/garbled', (c) => c.json({}, 402, { 'PAYMENT-REQUIRED': 'eyJub3QiOiJqc29u' }))
  app.get('/no-header', (c) => c.json({ message: 'pay by other means' }, 402))
  app.get('/stubborn', (c) => c.json({}, 402, { 'PAYMENT-REQUIRED': encodePaymentRequired(alwaysRequired) }))

  let server: ServerType | undefined
  const baseUrl = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    )
  })

  return {
    devnet,
    baseUrl,
    hits,
    payerClient: (policies = []) =>
      createPaymentClient({
        schemes: [
          exactEvmClient({
            account: privateKeyToAccount(accounts.payer.privateKey),
            assets: { [network]: token },
          }),
        ],
        policies,
      }),
    merchantBalance: () => tokenBalance(devnet, accounts.merchant.address),
    async stop() {
      await new Promise((resolve) => server?.close(resolve))
      await devnet.stop()
    },
  }
}
