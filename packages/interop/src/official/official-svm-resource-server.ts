import { HTTPFacilitatorClient, x402ResourceServer } from '@x402/core/server'
import { paymentMiddleware } from '@x402/hono'
import { ExactSvmScheme } from '@x402/svm/exact/server'
import { Hono } from 'hono'
import { PAID_BODY, PAID_PATH, PRICE_USD } from '../paid-route.js'
import type { SvmDevnet } from '../svm-devnet.js'

/**
 * A hono app guarded by the official `@x402/hono` middleware with the official SVM server scheme:
 * `GET /weather` costs {@link PRICE_USD}, which the official scheme converts to the public devnet USDC mint
 * (the devnet's mint), paid to the devnet merchant; `extra.feePayer` comes from the facilitator's /supported.
 */
export function createOfficialSvmResourceServerApp(devnet: SvmDevnet, facilitatorUrl: string): Hono {
  const { network, accounts } = devnet.svm
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    network,
    new ExactSvmScheme(),
  )
  const app = new Hono()
  app.use(
    paymentMiddleware(
      {
        [`GET ${PAID_PATH}`]: {
          accepts: { scheme: 'exact', network, payTo: accounts.merchant.address, price: PRICE_USD },
          description: 'Weather report',
          mimeType: 'application/json',
        },
      },
      resourceServer,
    ),
  )
  app.get(PAID_PATH, (c) => c.json(PAID_BODY))
  return app
}
