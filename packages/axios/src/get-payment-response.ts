import { decodePaymentResponse, PAYMENT_RESPONSE_HEADER, type SettleResponse } from '@open402/core'
import type { AxiosResponse } from 'axios'
import { headerOf } from './header-of.js'

/**
 * The settlement a paid axios response carries in `PAYMENT-RESPONSE` (spec §5.3), or `undefined` when it
 * has none; throws `X402Error('invalid_header')` when the header is malformed.
 *
 * @example
 * const settlement = getPaymentResponse(await api.get('/weather'))
 * if (settlement?.success) console.log('paid in', settlement.transaction)
 */
export function getPaymentResponse(response: Pick<AxiosResponse, 'headers'>): SettleResponse | undefined {
  const header = headerOf(response, PAYMENT_RESPONSE_HEADER)
  return header === undefined ? undefined : decodePaymentResponse(header)
}
