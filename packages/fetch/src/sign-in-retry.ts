import {
  decodePaymentRequired,
  PAYMENT_REQUIRED_HEADER,
  type PaymentRequired,
  type SignInClient,
} from '@open402/core'
import { getPaymentResponse } from './get-payment-response.js'

/** How a sign-in retry ended: let in (`response`), or refused with the 402 to pay (`paymentRequired`, if fresh). */
export type SignInRetry = { response: Response } | { paymentRequired: PaymentRequired | undefined }

/**
 * Retries `request` once with the headers `signIn` answers the 402 with (e.g. SIGN-IN-WITH-X), instead of
 * paying. `undefined` when it has nothing to offer (or failed to sign): pay. A 401 or 402 is a refusal:
 * pay, with the refusal's own 402 terms when it carries them (a fresher offer than the first 402).
 */
export async function retryWithSignIn(
  fetchImpl: typeof fetch,
  signIn: SignInClient,
  paymentRequired: PaymentRequired,
  request: Request,
  body: ArrayBuffer | null,
): Promise<SignInRetry | undefined> {
  // A sign-in that cannot be made (no wallet for the chain, a wallet that refuses) must not stop payment.
  const signInHeaders = await signIn.signIn(paymentRequired, request).catch(() => undefined)
  if (signInHeaders === undefined) return undefined
  const headers = new Headers(request.headers)
  for (const [name, value] of Object.entries(signInHeaders)) headers.set(name, value)
  const answer = await fetchImpl(new Request(request, { body, headers }))
  if (answer.status !== 401 && answer.status !== 402) return { response: answer }
  let fresh: PaymentRequired | undefined
  const header = answer.headers.get(PAYMENT_REQUIRED_HEADER)
  if (answer.status === 402 && header !== null) {
    try {
      fresh = decodePaymentRequired(header)
    } catch {
      fresh = undefined
    }
  }
  await answer.body?.cancel().catch(() => {})
  return { paymentRequired: fresh }
}

/**
 * Tells `signIn` about the settlement of a paid answer; a malformed PAYMENT-RESPONSE or a failure to
 * remember (say, a full store) never fails the paid request.
 */
export async function rememberPayment(signIn: SignInClient, paid: Response, request: Request): Promise<void> {
  if (!signIn.paid) return
  await Promise.resolve()
    .then(() => {
      const settlement = getPaymentResponse(paid)
      if (settlement?.success === true) return signIn.paid?.(settlement, request)
    })
    .catch(() => {})
}
