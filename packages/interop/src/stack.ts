import type { DevnetAccount, DevnetDescription } from '@open402/devnet'
import type { PaidFetch } from './paid-fetch.js'
import type { RunningServer } from './serve.js'

/** The body of a facilitator `POST /verify` or `POST /settle` (spec §7.1). */
export interface FacilitatorRequestBody {
  x402Version: number
  paymentPayload: { accepted: unknown } & Record<string, unknown>
  paymentRequirements: unknown
}

/**
 * One x402 implementation's three roles, wired to the devnet the same way, so tests and benches can pair
 * any client with any resource server and any facilitator.
 */
export interface Stack {
  readonly name: 'official' | 'open402'
  /** Serves this implementation's facilitator over HTTP, signing settlements with `privateKey`. */
  startFacilitatorServer(devnet: DevnetDescription, privateKey: `0x${string}`): Promise<RunningServer>
  /** Serves `GET /weather` behind this implementation's middleware, settling via `facilitatorUrl`. */
  startResourceServer(devnet: DevnetDescription, facilitatorUrl: string): Promise<RunningServer>
  /** A fetch that pays 402s from `payer` with this implementation's client. */
  createPaidFetch(devnet: DevnetDescription, payer: DevnetAccount): PaidFetch
  /** Signs a payment for the first offer of a decoded `PaymentRequired`, as a facilitator request body. */
  createFacilitatorRequest(
    devnet: DevnetDescription,
    payer: DevnetAccount,
    paymentRequired: unknown,
  ): Promise<FacilitatorRequestBody>
}
