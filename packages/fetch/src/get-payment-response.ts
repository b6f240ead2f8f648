import {
  decodePaymentResponse,
  decodeXPaymentResponse,
  PAYMENT_RESPONSE_HEADER,
  type SettleResponse,
  V1_PAYMENT_RESPONSE_HEADER,
} from '@open402/core'

/**
 * The settlement a paid response carries in `PAYMENT-RESPONSE` (spec §5.3), or in `X-PAYMENT-RESPONSE`
 * from an x402 V1 server (then given in the same V2 shape, its network as a CAIP-2 id); `undefined` when it
 * has neither. Throws `X402Error('invalid_header')` when the header is malformed.
 *
 * @example
 * const settlement = getPaymentResponse(await paidFetch(url))
 * if (settlement?.success) console.log('paid in', settlement.transaction)
 */
export function getPaymentResponse(response: Response): SettleResponse | undefined {
  const header = response.headers.get(PAYMENT_RESPONSE_HEADER)
  if (header !== null) return decodePaymentResponse(header)
  const v1 = response.headers.get(V1_PAYMENT_RESPONSE_HEADER)
  return v1 === null ? undefined : decodeXPaymentResponse(v1)
}
