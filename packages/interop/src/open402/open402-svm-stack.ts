import type { PaymentRequired } from '@open402/core'
import type { SvmStack } from '../svm-stack.js'
import { createOpen402SvmClient, createOpen402SvmPaidFetch } from './open402-svm-client.js'
import { startOpen402SvmFacilitatorServer } from './open402-svm-facilitator.js'
import { startOpen402SvmHonoServer } from './open402-svm-resource-server.js'

/** The open402 packages on the devnet's Solana chain as an {@link SvmStack}. */
export const open402SvmStack: SvmStack = {
  name: 'open402',
  startFacilitatorServer: startOpen402SvmFacilitatorServer,
  startResourceServer: startOpen402SvmHonoServer,
  createPaidFetch: createOpen402SvmPaidFetch,
  async createFacilitatorRequest(devnet, payer, paymentRequired) {
    const client = await createOpen402SvmClient(devnet, payer)
    const paymentPayload = await client.createPaymentPayload(paymentRequired as PaymentRequired)
    return {
      x402Version: paymentPayload.x402Version,
      paymentPayload,
      paymentRequirements: paymentPayload.accepted,
    }
  },
}
