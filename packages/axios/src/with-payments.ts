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

/** Optional hooks, called in order, for logging each step of a paid request (as in `@open402/fetch`). */
export interface WithPaymentsOptions {
  /** A 402 with `PAYMENT-REQUIRED` arrived and was decoded. */
  onPaymentRequired?(
    paymentRequired: PaymentRequired,
    config: InternalAxiosRequestConfig,
  ): void | Promise<void>
  /** The payment was signed and is about to be sent in `PAYMENT-SIGNATURE`. */
  onPayment?(payment: PaymentPayload, config: InternalAxiosRequestConfig): void | Promise<void>
  /** The paid retry answered with a success; `settlement` is its decoded `PAYMENT-RESPONSE`, if any. */
  onPaymentResponse?(settlement: SettleResponse | undefined, response: AxiosResponse): void | Promise<void>
}

/**
 * Installs a response interceptor on `instance` so that a 402 with `PAYMENT-REQUIRED` is paid once and
 * the same request config (body included) is sent again with `PAYMENT-SIGNATURE` (transports-v2/http.md).
 * A second 402 rejects as axios would; a refusal by the client's policies rejects with
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
    if (AxiosHeaders.from(config.headers).has(PAYMENT_SIGNATURE_HEADER)) return undefined
    const header = headerOf(response, PAYMENT_REQUIRED_HEADER)
    if (header === undefined) return undefined

    const paymentRequired = decodePaymentRequired(header)
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
    headers.set(PAYMENT_SIGNATURE_HEADER, encodePaymentSignature(payment))
    // `config.data` is already serialized by the first send; the retry sends it as is.
    const paid = await instance.request({ ...config, headers, transformRequest: (data: unknown) => data })
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
