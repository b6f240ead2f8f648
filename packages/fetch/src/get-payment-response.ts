import { decodePaymentResponse, PAYMENT_RESPONSE_HEADER, type SettleResponse } from '@open402/core'

/**
 * The settlement a paid response carries in `PAYMENT-RESPONSE` (spec §5.3), or `undefined` when it has
 * none; throws `X402Error('invalid_header')` when the header is malformed.
 *
 * @example
 * const settlement = getPaymentResponse(await paidFetch(url))
 * if (settlement?.success) console.log('paid in', settlement.transaction)
 */
export function getPaymentResponse(response: Response): SettleResponse | undefined {
  const header = response.headers.get(PAYMENT_RESPONSE_HEADER)
  return header === null ? undefined : decodePaymentResponse(header)
}
