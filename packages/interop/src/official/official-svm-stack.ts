import type { PaymentRequired } from '@x402/core/types'
import { type RunningServer, serveFetch } from '../serve.js'
import type { SvmDevnet } from '../svm-devnet.js'
import type { SvmStack } from '../svm-stack.js'
import { createOfficialFacilitatorApp } from './official-facilitator-app.js'
import { createOfficialSvmClient, createOfficialSvmPaidFetch } from './official-svm-client.js'
import { createOfficialSvmFacilitator } from './official-svm-facilitator.js'
import { createOfficialSvmResourceServerApp } from './official-svm-resource-server.js'

/** Serves the official `@x402/hono` Solana resource server, backed by the facilitator at `facilitatorUrl`. */
export function startOfficialSvmResourceServer(
  devnet: SvmDevnet,
  facilitatorUrl: string,
): Promise<RunningServer> {
  return serveFetch(createOfficialSvmResourceServerApp(devnet, facilitatorUrl).fetch)
}

/** The official `@x402/*` 2.27 packages on the devnet's Solana chain as an {@link SvmStack}. */
export const officialSvmStack: SvmStack = {
  name: 'official',
  async startFacilitatorServer(devnet, feePayer) {
    return serveFetch(
      createOfficialFacilitatorApp(await createOfficialSvmFacilitator(devnet, feePayer)).fetch,
    )
  },
  startResourceServer: startOfficialSvmResourceServer,
  createPaidFetch: createOfficialSvmPaidFetch,
  async createFacilitatorRequest(devnet, payer, paymentRequired) {
    const client = await createOfficialSvmClient(devnet, payer)
    const paymentPayload = await client.createPaymentPayload(paymentRequired as PaymentRequired)
    return {
      x402Version: paymentPayload.x402Version,
      paymentPayload,
      paymentRequirements: paymentPayload.accepted,
    }
  },
}
