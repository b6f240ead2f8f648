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
  readPaymentIdentifier,
  readPaymentRequiredV1,
  type SettleResponse,
  V1_PAYMENT_HEADER,
  X402Error,
} from '@open402/core'
import {
  AxiosHeaders,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios'
import { getPaymentResponse } from './get-payment-response.js'
import { headerOf } from './header-of.js'

/** What `withPayments` needs from a payment client (`createPaymentClient` from `@open402/core`). */
export type AxiosPaymentClient = Pick<PaymentClient, 'createPaymentPayload'>

/**
 * Optional hooks, called in order, for logging each step of a paid request (as in `@open402/fetch`). With an
 * x402 V1 server they see the same V2 shapes (networks as CAIP-2 ids), while the wire carries V1.
 */
export interface WithPaymentsOptions {
  /** A 402 with `PAYMENT-REQUIRED` (or an x402 V1 JSON body) arrived and was decoded. */
  onPaymentRequired?(
    paymentRequired: PaymentRequired,
    config: InternalAxiosRequestConfig,
  ): void | Promise<void>
  /** The payment was signed and is about to be sent in `PAYMENT-SIGNATURE` (`X-PAYMENT` for V1). */
  onPayment?(payment: PaymentPayload, config: InternalAxiosRequestConfig): void | Promise<void>
  /** The paid retry answered with a success; `settlement` is its decoded `PAYMENT-RESPONSE` (or `X-PAYMENT-RESPONSE`), if any. */
  onPaymentResponse?(settlement: SettleResponse | undefined, response: AxiosResponse): void | Promise<void>
  /**
   * How many times a paid request is sent again, with the same PAYMENT-SIGNATURE, when its connection
   * failed before an answer or the server answered 409 `payment_identifier_in_progress` (default 2). Only a
   * payment carrying a payment identifier is sent again (README "Idempotency (payment-identifier)"); a
   * dropped connection never signs a second payment.
   */
  paidRetries?: number
}

const DEFAULT_PAID_RETRIES = 2

/**
 * Installs a response interceptor on `instance` so that a 402 with `PAYMENT-REQUIRED` is paid once and
 * the same request config (body included) is sent again with `PAYMENT-SIGNATURE` (transports-v2/http.md).
 * A 402 from an x402 V1 server (a JSON body with `x402Version: 1`, no header) is paid the same way and sent
 * again with `X-PAYMENT` (transports-v1/http.md). A second 402 rejects as axios would; a refusal by the client's policies rejects with
 * `X402Error('payment_refused_by_policy')`. Returns `instance`.
 *
 * @example
 * const api = withPayments(axios.create({ baseURL: 'https://api.example.com' }), client)
 * const response = await api.get('/weather')
 * console.log(getPaymentResponse(response)?.transaction)
 */
export function withPayments<T extends AxiosInstance>(
  instance: T,
  client: AxiosPaymentClient,
  options: WithPaymentsOptions = {},
): T {
  async function pay(response: AxiosResponse): Promise<AxiosResponse | undefined> {
    const config = response.config
    if (response.status !== 402 || !config) return undefined
    const sent = AxiosHeaders.from(config.headers)
    if (sent.has(PAYMENT_SIGNATURE_HEADER) || sent.has(V1_PAYMENT_HEADER)) return undefined
    const required = paymentRequiredOf(response)
    if (required === undefined) return undefined

    const { paymentRequired, version } = required
    await options.onPaymentRequired?.(paymentRequired, config)
    const url = instance.getUri(config)
    const method = (config.method ?? 'get').toUpperCase()
    const payment = await client.createPaymentPayload(paymentRequired, { url }).catch((error: unknown) => {
      // Same code, with the request named: "paying for GET https://…: no acceptable payment option: …".
      if (!isX402Error(error)) throw error
      throw new X402Error(error.code, `paying for ${method} ${url}: ${error.message}`, { cause: error })
    })
    await options.onPayment?.(payment, config)

    const headers = AxiosHeaders.from(config.headers)
    if (version === 1) headers.set(V1_PAYMENT_HEADER, encodeXPayment(paymentPayloadToV1(payment)))
    else headers.set(PAYMENT_SIGNATURE_HEADER, encodePaymentSignature(payment))
    // `config.data` is already serialized by the first send; the retry sends it as is.
    const paid = await sendPaid(
      () => instance.request({ ...config, headers, transformRequest: (data: unknown) => data }),
      payment,
      options.paidRetries ?? DEFAULT_PAID_RETRIES,
    )
    if (options.onPaymentResponse) await options.onPaymentResponse(getPaymentResponse(paid), paid)
    return paid
  }

  instance.interceptors.response.use(
    async (response) => (await pay(response)) ?? response,
    async (error: unknown) => {
      if (isAxiosError(error) && error.response) {
        const paid = await pay(error.response)
        if (paid) return paid
      }
      throw error
    },
  )
  return instance
}

/**
 * Sends the paid request, and again (same config, so the same PAYMENT-SIGNATURE) up to `retries` times when
 * the connection failed with no answer or the server answered 409 `payment_identifier_in_progress`; only
 * for a payment carrying a payment identifier, which the server deduplicates.
 */
async function sendPaid(
  send: () => Promise<AxiosResponse>,
  payment: PaymentPayload,
  retries: number,
): Promise<AxiosResponse> {
  const resend = retries > 0 && readPaymentIdentifier(payment).status === 'valid'
  for (let attempt = 0; ; attempt++) {
    try {
      return await send()
    } catch (error) {
      if (!resend || attempt >= retries || !isAxiosError(error) || error.code === 'ERR_CANCELED') throw error
      const response = error.response
      if (response === undefined) {
        await sleep(100 * 2 ** attempt)
        continue
      }
      const body = response.data as { error?: unknown } | undefined
      if (response.status !== 409 || body?.error !== 'payment_identifier_in_progress') throw error
      const seconds = Number(headerOf(response, 'retry-after'))
      await sleep(Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 5000) : 1000)
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** What a 402 asks to be paid: its `PAYMENT-REQUIRED` header, else an x402 V1 body (`x402Version: 1`). */
function paymentRequiredOf(
  response: AxiosResponse,
): { paymentRequired: PaymentRequired; version: 1 | 2 } | undefined {
  const header = headerOf(response, PAYMENT_REQUIRED_HEADER)
  if (header !== undefined) return { paymentRequired: decodePaymentRequired(header), version: 2 }
  // axios has already read the body: parsed JSON, or the text when it was not JSON.
  const v1 = readPaymentRequiredV1(response.data)
  return v1 === undefined ? undefined : { paymentRequired: paymentRequiredFromV1(v1), version: 1 }
}
