import {
  decodePaymentRequired,
  encodePaymentSignature,
  isX402Error,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentClient,
  type PaymentPayload,
  type PaymentRequired,
  type SettleResponse,
  X402Error,
} from '@open402/core'
import { getPaymentResponse } from './get-payment-response.js'

/** What `wrapFetch` needs from a payment client (`createPaymentClient` from `@open402/core`). */
export type FetchPaymentClient = Pick<PaymentClient, 'createPaymentPayload'>

/** Optional hooks, called in order, for logging each step of a paid request. */
export interface WrapFetchOptions {
  /** A 402 with `PAYMENT-REQUIRED` arrived and was decoded. */
  onPaymentRequired?(paymentRequired: PaymentRequired, request: Request): void | Promise<void>
  /** The payment was signed and is about to be sent in `PAYMENT-SIGNATURE`. */
  onPayment?(payment: PaymentPayload, request: Request): void | Promise<void>
  /** The paid retry answered; `settlement` is its decoded `PAYMENT-RESPONSE`, if it carried one. */
  onPaymentResponse?(settlement: SettleResponse | undefined, response: Response): void | Promise<void>
}

/**
 * Wraps `fetch` so that a 402 with `PAYMENT-REQUIRED` is paid once and the request retried with
 * `PAYMENT-SIGNATURE` and its original body (transports-v2/http.md). A second 402 is returned as is;
 * a refusal by the client's policies rejects with `X402Error('payment_refused_by_policy')`.
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

    if (response.status !== 402 || request.headers.has(PAYMENT_SIGNATURE_HEADER)) return response
    const header = response.headers.get(PAYMENT_REQUIRED_HEADER)
    if (header === null) return response

    const paymentRequired = decodePaymentRequired(header)
    await options.onPaymentRequired?.(paymentRequired, request)
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
    headers.set(PAYMENT_SIGNATURE_HEADER, encodePaymentSignature(payment))
    const paid = await fetchImpl(new Request(request, { body, headers }))
    if (options.onPaymentResponse) await options.onPaymentResponse(getPaymentResponse(paid), paid)
    return paid
  }
}
