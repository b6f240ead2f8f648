import type { FacilitatorClient, RoutesConfig } from '@open402/core'
import { createResourceServer } from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { exactSvmServer } from '@open402/svm/server'
import { Hono } from 'hono'

/**
 * The demo's paid API: a $0.001 JSON route and a $0.05 article, each payable on the EVM chain or on Solana,
 * plus a free index.
 */
export function createDemoApi({ evm, svm }: DevnetDescription, facilitator: FacilitatorClient) {
  const option = (price: string) => [
    { scheme: 'exact', network: evm.network, price, payTo: evm.accounts.merchant.address },
    { scheme: 'exact', network: svm.network, price, payTo: svm.accounts.merchant.address },
  ]
  const routes = {
    'GET /api/weather': {
      accepts: option('$0.001'),
      description: 'Current weather, paid per request',
      mimeType: 'application/json',
    },
    'GET /articles/why-402': {
      accepts: option('$0.05'),
      description: 'A premium article, no subscription',
      mimeType: 'text/markdown',
    },
  } satisfies RoutesConfig

  const server = createResourceServer({
    facilitator,
    schemes: [
      exactEvmServer({ assets: { [evm.network]: evm.token } }),
      exactSvmServer({ assets: { [svm.network]: svm.mint } }),
    ],
  })

  const app = new Hono()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/', (c) => c.json({ routes: Object.keys(routes) }))
  app.get('/api/weather', (c) => c.json({ city: 'Lisbon', temperatureC: 19, sky: 'clear' }))
  app.get('/articles/why-402', (c) =>
    c.text('# Why HTTP 402\n\nPay per read, in a cent, with no account and no form.\n', 200, {
      'Content-Type': 'text/markdown; charset=utf-8',
    }),
  )
  return { app, routes }
}
