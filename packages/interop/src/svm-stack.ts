import type { DevnetSvmAccount } from '@open402/devnet'
import type { PaidFetch } from './paid-fetch.js'
import type { RunningServer } from './serve.js'
import type { FacilitatorRequestBody } from './stack.js'
import type { SvmDevnet } from './svm-devnet.js'

/**
 * One x402 implementation's three roles on the devnet's Solana chain (exact scheme, devnet USDC), so tests
 * can pair any client with any resource server and any facilitator. The Solana twin of `Stack`.
 */
export interface SvmStack {
  readonly name: 'official' | 'open402'
  /** Serves this implementation's facilitator over HTTP, co-signing settlements as fee payer `feePayer`. */
  startFacilitatorServer(devnet: SvmDevnet, feePayer: DevnetSvmAccount): Promise<RunningServer>
  /** Serves `GET /weather` for `$0.001` in devnet USDC behind this implementation's middleware. */
  startResourceServer(devnet: SvmDevnet, facilitatorUrl: string): Promise<RunningServer>
  /** A fetch that pays 402s from `payer` with this implementation's client. */
  createPaidFetch(devnet: SvmDevnet, payer: DevnetSvmAccount): Promise<PaidFetch>
  /** Signs a payment for the first offer of a decoded `PaymentRequired`, as a facilitator request body. */
  createFacilitatorRequest(
    devnet: SvmDevnet,
    payer: DevnetSvmAccount,
    paymentRequired: unknown,
  ): Promise<FacilitatorRequestBody>
}
