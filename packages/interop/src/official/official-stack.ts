import type { PaymentRequired } from '@x402/core/types'
import type { Stack } from '../stack.js'
import { createOfficialClient, createOfficialPaidFetch } from './official-client.js'
import { startOfficialFacilitatorServer, startOfficialResourceServer } from './start-official-servers.js'

/** The official `@x402/*` 2.27 packages as a {@link Stack}. */
export const officialStack: Stack = {
  name: 'official',
  startFacilitatorServer: startOfficialFacilitatorServer,
  startResourceServer: startOfficialResourceServer,
  createPaidFetch: createOfficialPaidFetch,
  async createFacilitatorRequest(devnet, payer, paymentRequired) {
    const client = createOfficialClient(devnet, payer)
    const paymentPayload = await client.createPaymentPayload(paymentRequired as PaymentRequired)
    return {
      x402Version: paymentPayload.x402Version,
      paymentPayload,
      paymentRequirements: paymentPayload.accepted,
    }
  },
}
