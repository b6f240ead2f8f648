import type { Context } from 'hono'

/** Per-request values the facilitator's middlewares share: the refusal reason and the client key. */
export type FacilitatorEnv = {
  Variables: {
    /** The reason code of a refusal or outcome, for the request log line. */
    reason: string
    /** Who the rate limit counts against: `key:<hash prefix>` for an authenticated client. */
    client: string
  }
}

/** The client's address: the first `X-Forwarded-For` entry if `trustProxy`, else the socket's peer. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'unknown'
}
