import type { SettleResponse } from '../schemas/facilitator.js'
import type { PaymentRequired } from '../schemas/payment-required.js'

/**
 * The client side of an identity extension such as sign-in-with-x: it answers a 402 with headers that prove
 * who the client is, so a server that remembers a payment lets it in without paying again. `wrapFetch`
 * (`@open402/fetch`) takes one as its `signIn` option; `siwxClient()` of `@open402/siwx` returns one.
 * @example const paidFetch = wrapFetch(fetch, client, { signIn: siwxClient({ signers: [evmSiwxSigner(account)] }) })
 */
export interface SignInClient {
  /**
   * The headers to retry `request` with instead of paying (e.g. `SIGN-IN-WITH-X`), or `undefined` when the
   * 402 offers no sign-in this client can answer, or it has not paid there before.
   */
  signIn(paymentRequired: PaymentRequired, request: Request): Promise<Record<string, string> | undefined>
  /** Told about each settled payment (the decoded PAYMENT-RESPONSE), so it knows where it has paid. */
  paid?(settlement: SettleResponse, request: Request): void | Promise<void>
}
