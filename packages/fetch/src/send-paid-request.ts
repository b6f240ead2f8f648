import { type PaymentPayload, readPaymentIdentifier } from '@open402/core'

/** How many times {@link sendPaidRequest} sends a paid request again by default. */
export const DEFAULT_PAID_RETRIES = 2

const IN_PROGRESS = 'payment_identifier_in_progress'
const MAX_RETRY_AFTER_MS = 5000

/**
 * Sends a paid request, and sends the same request again (same PAYMENT-SIGNATURE, so the same payment
 * identifier) up to `retries` times when its connection failed before an answer arrived, or when the server
 * answered 409 `payment_identifier_in_progress`. The server answers a retry of a payment it settled with
 * the first response (README "Idempotency (payment-identifier)"); no new payment is ever signed here. A
 * payment without an identifier is sent once: a server that does not deduplicate could run it twice.
 */
export async function sendPaidRequest(
  fetchImpl: typeof fetch,
  build: () => Request,
  payment: PaymentPayload,
  retries: number,
): Promise<Response> {
  const resend = retries > 0 && readPaymentIdentifier(payment).status === 'valid'
  for (let attempt = 0; ; attempt++) {
    const request = build()
    const last = !resend || attempt >= retries
    let response: Response
    try {
      response = await fetchImpl(request)
    } catch (error) {
      // fetch rejects with a TypeError on a network error; an abort or timeout is the caller's decision.
      if (last || request.signal.aborted || !(error instanceof TypeError)) throw error
      await sleep(100 * 2 ** attempt)
      continue
    }
    if (last || response.status !== 409) return response
    const wait = await inProgressWait(response)
    if (wait === undefined) return response
    await response.body?.cancel().catch(() => {})
    await sleep(wait)
  }
}

/** The wait a 409 `payment_identifier_in_progress` asks for (its Retry-After, at most 5 s), else undefined. */
async function inProgressWait(response: Response): Promise<number | undefined> {
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return undefined
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { error?: unknown } | undefined
  if (body?.error !== IN_PROGRESS) return undefined
  const seconds = Number(response.headers.get('retry-after'))
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : 1000
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
