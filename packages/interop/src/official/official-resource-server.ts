import type { DevnetDescription } from '@open402/devnet'
import { HTTPFacilitatorClient, x402ResourceServer } from '@x402/core/server'
import { ExactEvmScheme } from '@x402/evm/exact/server'
import { paymentMiddleware } from '@x402/hono'
import { Hono } from 'hono'
import { PAID_BODY, PAID_PATH, PRICE_ATOMIC } from '../paid-route.js'

/**
 * A hono app guarded by the official `@x402/hono` middleware: `GET /weather` costs {@link PRICE_ATOMIC} of the
 * devnet token (priced as an explicit asset amount, since the devnet token is not in the official default
 * table), paid to the devnet merchant, verified and settled by the facilitator at `facilitatorUrl`.
 */
export function createOfficialResourceServerApp(devnet: DevnetDescription, facilitatorUrl: string): Hono {
  const { network, token, accounts } = devnet.evm
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    network,
    new ExactEvmScheme(),
  )
  const app = new Hono()
  app.use(
    paymentMiddleware(
      {
        [`GET ${PAID_PATH}`]: {
          accepts: {
            scheme: 'exact',
            network,
            payTo: accounts.merchant.address,
            price: {
              amount: PRICE_ATOMIC.toString(),
              asset: token.address,
              extra: { name: token.name, version: token.version },
            },
          },
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
