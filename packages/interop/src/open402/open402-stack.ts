import type { PaymentRequired } from '@open402/core'
import type { Stack } from '../stack.js'
import { createOpen402Client, createOpen402PaidFetch } from './open402-client.js'
import { startOpen402FacilitatorServer, startOpen402HonoServer } from './start-open402-servers.js'

/** The open402 packages as a {@link Stack}. */
export const open402Stack: Stack = {
  name: 'open402',
  startFacilitatorServer: startOpen402FacilitatorServer,
  startResourceServer: startOpen402HonoServer,
  createPaidFetch: createOpen402PaidFetch,
  async createFacilitatorRequest(devnet, payer, paymentRequired) {
    const paymentPayload = await createOpen402Client(devnet, payer).createPaymentPayload(
      paymentRequired as PaymentRequired,
    )
    return {
      x402Version: paymentPayload.x402Version,
      paymentPayload,
      paymentRequirements: paymentPayload.accepted,
    }
  },
}
