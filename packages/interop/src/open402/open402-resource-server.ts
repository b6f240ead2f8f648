import {
  createHttpFacilitatorClient,
  createResourceServer,
  type ResourceServer,
  type RoutesConfig,
} from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmServer } from '@open402/evm/server'
import { PAID_PATH, PRICE_USD } from '../paid-route.js'

/** An open402 resource server that prices in the devnet token and settles via the facilitator at `facilitatorUrl`. */
export function createOpen402ResourceServer(
  devnet: DevnetDescription,
  facilitatorUrl: string,
): ResourceServer {
  return createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
    schemes: [exactEvmServer({ assets: { [devnet.evm.network]: devnet.evm.token } })],
  })
}

/** `GET /weather` for {@link PRICE_USD} in the devnet token, paid to the devnet merchant. */
export function open402Routes(devnet: DevnetDescription): RoutesConfig {
  return {
    [`GET ${PAID_PATH}`]: {
      accepts: {
        scheme: 'exact',
        network: devnet.evm.network,
        price: PRICE_USD,
        payTo: devnet.evm.accounts.merchant.address,
      },
      description: 'Weather report',
      mimeType: 'application/json',
    },
  }
}
