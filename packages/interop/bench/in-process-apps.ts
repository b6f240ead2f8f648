// The two resource servers as hono apps called in-process (`app.request`), with the same stub facilitator
// behind both, so the bench can time per-request server code without HTTP, chain or facilitator work.
import {
  createHttpFacilitatorClient,
  createResourceServer,
  type FacilitatorClient,
  type SettleResponse,
  type VerifyResponse,
} from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware as open402PaymentMiddleware } from '@open402/hono'
import { HTTPFacilitatorClient, x402ResourceServer } from '@x402/core/server'
import { ExactEvmScheme } from '@x402/evm/exact/server'
import { paymentMiddleware as officialPaymentMiddleware } from '@x402/hono'
import { Hono } from 'hono'
import { open402Routes } from '../src/open402/open402-resource-server.js'
import { PAID_BODY, PAID_PATH, PRICE_ATOMIC } from '../src/paid-route.js'
import type { Stack } from '../src/stack.js'

/** A hono app's in-process entry point. */
export type AppRequest = (path: string, init?: RequestInit) => Response | Promise<Response>

/**
 * Verify and settle answers of a facilitator that always accepts, so a paid request costs only the
 * resource server's own work; `/supported` still comes from the stack's real facilitator (fetched once).
 */
function stubbedAnswers(devnet: DevnetDescription) {
  const payer = devnet.evm.accounts.payer.address
  const verify: VerifyResponse = { isValid: true, payer }
  const settle: SettleResponse = {
    success: true,
    payer,
    transaction: `0x${'ab'.repeat(32)}`,
    network: devnet.evm.network,
  }
  return {
    verify: async () => ({ ...verify }),
    settle: async () => ({ ...settle }),
  }
}

/** The open402 hono app of the bench, with verify and settle stubbed. */
function open402App(devnet: DevnetDescription, facilitatorUrl: string): Hono {
  const http = createHttpFacilitatorClient({ url: facilitatorUrl })
  const facilitator: FacilitatorClient = {
    ...stubbedAnswers(devnet),
    supported: () => http.supported(),
  }
  const server = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [devnet.evm.network]: devnet.evm.token } })],
  })
  const app = new Hono()
  app.use(open402PaymentMiddleware(server, { routes: open402Routes(devnet) }))
  app.get(PAID_PATH, (c) => c.json(PAID_BODY))
  return app
}

/** The official hono app of the bench (as in src/official/official-resource-server.ts), verify and settle stubbed. */
function officialApp(devnet: DevnetDescription, facilitatorUrl: string): Hono {
  const { network, token, accounts } = devnet.evm
  const http = new HTTPFacilitatorClient({ url: facilitatorUrl })
  const stub = stubbedAnswers(devnet)
  const facilitator = {
    verify: stub.verify,
    settle: stub.settle,
    getSupported: () => http.getSupported(),
  } as unknown as HTTPFacilitatorClient
  const resourceServer = new x402ResourceServer(facilitator).register(network, new ExactEvmScheme())
  const app = new Hono()
  app.use(
    officialPaymentMiddleware(
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

/** The stack's in-process app, its facilitator's `/supported` served by the hosted facilitator at `facilitatorUrl`. */
export function createInProcessApp(
  name: Stack['name'],
  devnet: DevnetDescription,
  facilitatorUrl: string,
): AppRequest {
  const app = name === 'open402' ? open402App(devnet, facilitatorUrl) : officialApp(devnet, facilitatorUrl)
  return (path, init) => app.request(`http://localhost${path}`, init)
}
