import type { PaymentOption, RouteConfig } from '../http/types.js'
import type { SettleResponse, SupportedKind, VerifyResponse } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { FacilitatorClient } from '../schemes/types.js'
import type { ResourceServerHooks } from './resource-server-hooks.js'

/** The resource-server role: builds offers for a route and talks to the facilitator(s) (DESIGN §3). */
export interface ResourceServer {
  /** Fetches `/supported` from every facilitator; throws unless at least one answers (x402f#1260). */
  initialize(): Promise<void>
  /** The `accepts` entries for `route` and this request; throws `X402Error` when they cannot be built. */
  buildRequirements(route: RouteConfig, request: Request): Promise<PaymentRequirements[]>
  /** Throws `X402Error('invalid_config' | 'invalid_price' | ...)` when an option can never be priced. */
  validateOption(option: PaymentOption): void
  /** The facilitator and its `/supported` kind serving (scheme, network), if any. */
  findKind(
    scheme: string,
    network: string,
  ): Promise<{ kind: SupportedKind; facilitator: FacilitatorClient } | undefined>
  /** The lifecycle hooks the HTTP payment handler runs around `verify` and `settle` (README "Lifecycle hooks"). */
  readonly hooks?: ResourceServerHooks
  /**
   * The atomic amount to settle when the handler reports less than the maximum (`Settlement-Overrides`):
   * atomic units, a share (`"50%"`) or dollars (`"$0.002"`, converted by the scheme's server part). Throws
   * `X402Error('invalid_amount')` for anything else or above `requirements.amount`.
   */
  settlementAmount(requirements: PaymentRequirements, amount: unknown): string
  /** Asks the facilitator; runs no hooks (the HTTP payment handler runs them). */
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>
  /** Asks the facilitator; runs no hooks (the HTTP payment handler runs them). */
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>
}
