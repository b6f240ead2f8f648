import {
  decodePaymentRequired,
  encodePaymentSignature,
  encodeXPayment,
  isX402Error,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentClient,
  type PaymentPayload,
  type PaymentRequired,
  paymentPayloadToV1,
  paymentRequiredFromV1,
  readPaymentRequiredV1,
  type SettleResponse,
  type SignInClient,
  V1_PAYMENT_HEADER,
  X402Error,
} from '@open402/core'
import { getPaymentResponse } from './get-payment-response.js'
import { DEFAULT_PAID_RETRIES, sendPaidRequest } from './send-paid-request.js'
import { rememberPayment, retryWithSignIn } from './sign-in-retry.js'

/** What `wrapFetch` needs from a payment client (`createPaymentClient` from `@open402/core`). */
export type FetchPaymentClient = Pick<PaymentClient, 'createPaymentPayload'>

/**
 * Optional hooks, called in order, for logging each step of a paid request. With an x402 V1 server they see
 * the same V2 shapes (the V1 402 read by `paymentRequiredFromV1`, networks as CAIP-2 ids), while the wire
 * carries V1.
 */
export interface WrapFetchOptions {
  /** A 402 with `PAYMENT-REQUIRED` (or an x402 V1 JSON body) arrived and was decoded. */
  onPaymentRequired?(paymentRequired: PaymentRequired, request: Request): void | Promise<void>
  /** The payment was signed and is about to be sent in `PAYMENT-SIGNATURE` (`X-PAYMENT` for V1). */
  onPayment?(payment: PaymentPayload, request: Request): void | Promise<void>
  /** The paid retry answered; `settlement` is its decoded `PAYMENT-RESPONSE` (or `X-PAYMENT-RESPONSE`), if any. */
  onPaymentResponse?(settlement: SettleResponse | undefined, response: Response): void | Promise<void>
  /**
   * How many times a paid request is sent again, with the same PAYMENT-SIGNATURE, when its connection
   * failed before an answer or the server answered 409 `payment_identifier_in_progress` (default 2). Only a
   * payment carrying a payment identifier is sent again (README "Idempotency (payment-identifier)"); a
   * dropped connection never signs a second payment.
   */
  paidRetries?: number
  /**
   * Signs in instead of paying where this client paid before (README "Sign in instead of paying again"):
   * when a 402 offers sign-in (e.g. `sign-in-with-x`), the request is retried once with the headers it
   * answers; if that is refused, the payment goes ahead as usual. `siwxClient()` of `@open402/siwx`.
   */
  signIn?: SignInClient
}

/**
 * Wraps `fetch` so that a 402 with `PAYMENT-REQUIRED` is paid once and the request retried with
 * `PAYMENT-SIGNATURE` and its original body (transports-v2/http.md). A 402 from an x402 V1 server (a JSON
 * body with `x402Version: 1`, no header) is paid the same way and retried with `X-PAYMENT`
 * (transports-v1/http.md). A second 402 is returned as is; a refusal by the client's policies rejects with
 * `X402Error('payment_refused_by_policy')`. A paid request whose connection drops is sent again with the
 * same payment and payment identifier (`paidRetries`), never paid twice. With `signIn`, a 402 that offers
 * sign-in where this client paid before is answered by signing in (one retry) instead of paying.
 *
 * @example
 * const paidFetch = wrapFetch(fetch, createPaymentClient({ schemes: [exactEvmClient({ account })] }))
 * const response = await paidFetch('https://api.example.com/weather')
 * console.log(getPaymentResponse(response)?.transaction)
 */
export function wrapFetch(
  fetchImpl: typeof fetch,
  client: FetchPaymentClient,
  options: WrapFetchOptions = {},
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    // Buffer the body before the first send so the paid retry can replay it, streams included (x402f#2900).
    const body = request.body === null ? null : await request.arrayBuffer()
    const response = await fetchImpl(new Request(request, { body }))
    if (response.status !== 402 || isPaidRequest(request)) return response
    const required = await paymentRequiredOf(response)
    if (required === undefined) return response
    let { paymentRequired } = required
    const { version } = required
    await options.onPaymentRequired?.(paymentRequired, request)
    if (options.signIn && version === 2) {
      await response.body?.cancel().catch(() => {})
      const signedIn = await retryWithSignIn(fetchImpl, options.signIn, paymentRequired, request, body)
      if (signedIn && 'response' in signedIn) return signedIn.response
      paymentRequired = signedIn?.paymentRequired ?? paymentRequired
    }
    const payment = await client
      .createPaymentPayload(paymentRequired, { url: request.url })
      .catch((error: unknown) => {
        // Same code, with the request named: "paying for GET https://…: no acceptable payment option: …".
        if (!isX402Error(error)) throw error
        throw new X402Error(error.code, `paying for ${request.method} ${request.url}: ${error.message}`, {
          cause: error,
        })
      })
    await options.onPayment?.(payment, request)
    await response.body?.cancel().catch(() => {})
    const headers = new Headers(request.headers)
    if (version === 1) headers.set(V1_PAYMENT_HEADER, encodeXPayment(paymentPayloadToV1(payment)))
    else headers.set(PAYMENT_SIGNATURE_HEADER, encodePaymentSignature(payment))
    const paid = await sendPaidRequest(
      fetchImpl,
      () => new Request(request, { body, headers }),
      payment,
      options.paidRetries ?? DEFAULT_PAID_RETRIES,
    )
    if (options.onPaymentResponse) await options.onPaymentResponse(getPaymentResponse(paid), paid)
    if (options.signIn) await rememberPayment(options.signIn, paid, request)
    return paid
  }
}

function isPaidRequest(request: Request): boolean {
  return request.headers.has(PAYMENT_SIGNATURE_HEADER) || request.headers.has(V1_PAYMENT_HEADER)
}

/**
 * What a 402 asks to be paid: its `PAYMENT-REQUIRED` header, else an x402 V1 JSON body (read from a clone,
 * so a 402 that is neither is returned with its body intact). Only a body sent as JSON is read, never an
 * HTML paywall or other content.
 */
async function paymentRequiredOf(
  response: Response,
): Promise<{ paymentRequired: PaymentRequired; version: 1 | 2 } | undefined> {
  const header = response.headers.get(PAYMENT_REQUIRED_HEADER)
  if (header !== null) return { paymentRequired: decodePaymentRequired(header), version: 2 }
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return undefined
  const body = await response
    .clone()
    .text()
    .catch(() => undefined)
  const v1 = body === undefined ? undefined : readPaymentRequiredV1(body)
  return v1 === undefined ? undefined : { paymentRequired: paymentRequiredFromV1(v1), version: 1 }
}
