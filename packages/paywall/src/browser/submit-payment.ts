import type { PaymentPayload, PaymentRequired, PaymentRequirements } from '@open402/core'
import { base64ToText, textToBase64 } from './base64.js'

/** What the server's PAYMENT-RESPONSE says about the settlement. */
export interface Settlement {
  transaction?: string
  network?: string
}

/** The V2 PaymentPayload for one offer, as `@open402/core`'s payment client builds it (extensions echoed). */
export function paymentPayload(
  paymentRequired: PaymentRequired,
  requirements: PaymentRequirements,
  payload: object,
): PaymentPayload {
  return {
    x402Version: 2,
    resource: paymentRequired.resource,
    accepted: requirements,
    payload: { ...payload },
    ...(paymentRequired.extensions === undefined ? {} : { extensions: paymentRequired.extensions }),
  }
}

/** Requests this page again with the payment in PAYMENT-SIGNATURE (standard base64 of the JSON). */
export function submitPayment(payment: PaymentPayload): Promise<Response> {
  return fetch(location.href, {
    headers: {
      'PAYMENT-SIGNATURE': textToBase64(JSON.stringify(payment)),
      accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8',
    },
    cache: 'no-store',
    credentials: 'same-origin',
  })
}

/** The decoded PAYMENT-RESPONSE header, if the answer has a readable one. */
export function settlementOf(response: Response): Settlement | undefined {
  const header = response.headers.get('PAYMENT-RESPONSE')
  if (header === null) return undefined
  try {
    const value = JSON.parse(base64ToText(header)) as { transaction?: unknown; network?: unknown }
    return {
      ...(typeof value.transaction === 'string' && value.transaction !== ''
        ? { transaction: value.transaction }
        : {}),
      ...(typeof value.network === 'string' ? { network: value.network } : {}),
    }
  } catch {
    return undefined
  }
}

/** Why the server did not release the content, from its JSON body (`error`, `message`) or status. */
export async function refusalOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: unknown; message?: unknown }
    | undefined
  const code = typeof body?.error === 'string' ? body.error : undefined
  const message = typeof body?.message === 'string' ? body.message : undefined
  if (response.status === 402) {
    const reason = message ?? code ?? 'no reason given'
    return `The payment was refused: ${reason}${message && code ? ` (${code})` : ''}.`
  }
  return `The server answered ${response.status}${message ? `: ${message}` : code ? `: ${code}` : ''}.`
}
