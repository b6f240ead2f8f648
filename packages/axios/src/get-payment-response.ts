import {
  decodePaymentResponse,
  decodeXPaymentResponse,
  PAYMENT_RESPONSE_HEADER,
  type SettleResponse,
  V1_PAYMENT_RESPONSE_HEADER,
} from '@open402/core'
import type { AxiosResponse } from 'axios'
import { headerOf } from './header-of.js'

/**
 * The settlement a paid axios response carries in `PAYMENT-RESPONSE` (spec §5.3), or in
 * `X-PAYMENT-RESPONSE` from an x402 V1 server (then given in the same V2 shape, its network as a CAIP-2
 * id); `undefined` when it has neither. Throws `X402Error('invalid_header')` when the header is malformed.
 *
 * @example
 * const settlement = getPaymentResponse(await api.get('/weather'))
 * if (settlement?.success) console.log('paid in', settlement.transaction)
 */
export function getPaymentResponse(response: Pick<AxiosResponse, 'headers'>): SettleResponse | undefined {
  const header = headerOf(response, PAYMENT_RESPONSE_HEADER)
  if (header !== undefined) return decodePaymentResponse(header)
  const v1 = headerOf(response, V1_PAYMENT_RESPONSE_HEADER)
  return v1 === undefined ? undefined : decodeXPaymentResponse(v1)
}
