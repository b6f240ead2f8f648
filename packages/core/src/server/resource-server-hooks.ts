import type { LifecycleHooks, StageOutcome } from '../facilitator/lifecycle-hooks.js'
import { encodePaymentResponse, PAYMENT_RESPONSE_HEADER } from '../http/payment-headers.js'
import type { SettleResponse, VerifyResponse } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { errorResponse, type RoutePaymentRequired } from './payment-responses.js'

/** What the resource server's lifecycle hooks get: the payment, the offer it matched, and the request. */
export interface ResourceServerHookContext {
  payload: PaymentPayload
  requirements: PaymentRequirements
  /** The HTTP request being paid for (always set by the HTTP payment handler). */
  request?: Request
  /** The key of the paid route the request matched, as written in `routes` (set by the HTTP payment handler). */
  route?: string
}

/**
 * Lifecycle hooks of {@link createResourceServer}, run by the HTTP payment handler around verify and
 * settle. `abort.status` chooses the refusal's status (default 402 with PAYMENT-REQUIRED; e.g. 403).
 */
export type ResourceServerHooks = LifecycleHooks<ResourceServerHookContext, VerifyResponse, SettleResponse>

/** The answer to a before hook's abort: a 402 refusal with the offers, or `{ error, message }` at its status. */
export function abortResponse(
  outcome: Extract<StageOutcome<unknown>, { kind: 'abort' }>,
  request: Request,
  offers: readonly PaymentRequirements[],
  state: RoutePaymentRequired,
  baseHeaders: Readonly<Record<string, string>>,
): Response {
  const { status } = outcome
  if (status === undefined || status === 402 || !isErrorStatus(status)) {
    return state.refusalResponse(request, offers, outcome.reason, outcome.message)
  }
  return errorResponse(status, outcome.reason, outcome.message, baseHeaders)
}

/**
 * The 500 answer to a hook that threw: `{ error: '<stage>_hook_error', message }`, never the content. The
 * hook's exception stays on the server. When a settle answer exists, PAYMENT-RESPONSE reports it as failed
 * with the hook's reason and keeps its transaction, so the client can prove a payment that was made.
 */
export function hookErrorResponse(
  outcome: Extract<StageOutcome<unknown>, { kind: 'hook_error' }>,
  baseHeaders: Readonly<Record<string, string>>,
  settled?: SettleResponse,
): Response {
  const message = `the ${outcome.hook} hook failed; the request was refused`
  const response = errorResponse(500, outcome.reason, message, baseHeaders)
  if (settled) {
    const failed: SettleResponse = {
      success: false,
      errorReason: outcome.reason,
      errorMessage: message,
      transaction: settled.transaction,
      network: settled.network,
      ...(settled.payer === undefined ? {} : { payer: settled.payer }),
    }
    response.headers.set(PAYMENT_RESPONSE_HEADER, encodePaymentResponse(failed))
  }
  return response
}

function isErrorStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 400 && status <= 599
}
