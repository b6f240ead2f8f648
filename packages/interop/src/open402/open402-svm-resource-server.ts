import { createHttpFacilitatorClient, createResourceServer, type RoutesConfig } from '@open402/core'
import { paymentMiddleware } from '@open402/hono'
import { exactSvmServer } from '@open402/svm/server'
import { Hono } from 'hono'
import { PAID_BODY, PAID_PATH, PRICE_USD } from '../paid-route.js'
import { type RunningServer, serveFetch } from '../serve.js'
import type { SvmDevnet } from '../svm-devnet.js'

/** `GET /weather` for {@link PRICE_USD} in devnet USDC (the built-in mint), paid to the devnet merchant. */
export function open402SvmRoutes(devnet: SvmDevnet): RoutesConfig {
  return {
    [`GET ${PAID_PATH}`]: {
      accepts: {
        scheme: 'exact',
        network: devnet.svm.network,
        price: PRICE_USD,
        payTo: devnet.svm.accounts.merchant.address,
      },
      description: 'Weather report',
      mimeType: 'application/json',
    },
  }
}

/** A hono app guarded by `@open402/hono` with `exactSvmServer`, settling via the facilitator at `facilitatorUrl`. */
export function createOpen402SvmHonoApp(devnet: SvmDevnet, facilitatorUrl: string): Hono {
  const resourceServer = createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
    schemes: [exactSvmServer()],
  })
  const app = new Hono()
  app.use(paymentMiddleware(resourceServer, { routes: open402SvmRoutes(devnet) }))
  app.get(PAID_PATH, (c) => c.json(PAID_BODY))
  return app
}

/** Serves the open402 Solana hono resource server, backed by the facilitator at `facilitatorUrl`. */
export function startOpen402SvmHonoServer(devnet: SvmDevnet, facilitatorUrl: string): Promise<RunningServer> {
  return serveFetch(createOpen402SvmHonoApp(devnet, facilitatorUrl).fetch)
}
