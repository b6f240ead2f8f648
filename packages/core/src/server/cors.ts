import {
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'

/** CORS settings of the payment handler; `false` leaves CORS (and preflights) to the application. */
export type CorsOptions =
  | false
  | {
      /** `Access-Control-Allow-Origin` (default `*`). */
      origin?: string
      /** Extra request headers allowed in preflights, besides PAYMENT-SIGNATURE and Content-Type. */
      allowHeaders?: string[]
      /** `Access-Control-Max-Age` of preflight answers in seconds (default 600). */
      maxAge?: number
    }

export const EXPOSED_HEADERS = `${PAYMENT_REQUIRED_HEADER}, ${PAYMENT_RESPONSE_HEADER}`

/** Headers added to every response of a paid route, so browsers can read the payment headers. */
export function corsHeaders(options: CorsOptions | undefined): [string, string][] {
  if (options === false) return []
  const origin = options?.origin ?? '*'
  const headers: [string, string][] = [
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Expose-Headers', EXPOSED_HEADERS],
  ]
  if (origin !== '*') headers.push(['Vary', 'Origin'])
  return headers
}

/** The 204 answer to a CORS preflight for a paid route (no payment needed for a preflight). */
export function preflightResponse(options: CorsOptions | undefined, request: Request): Response {
  const headers = new Headers(corsHeaders(options))
  const method = request.headers.get('Access-Control-Request-Method') ?? 'GET'
  const requested = request.headers.get('Access-Control-Request-Headers')
  const allowed = [PAYMENT_SIGNATURE_HEADER, 'Content-Type', ...(options ? (options.allowHeaders ?? []) : [])]
  if (requested) {
    for (const name of requested.split(',')) {
      const trimmed = name.trim()
      if (trimmed && !allowed.some((a) => a.toLowerCase() === trimmed.toLowerCase())) allowed.push(trimmed)
    }
  }
  headers.set('Access-Control-Allow-Methods', method.toUpperCase())
  headers.set('Access-Control-Allow-Headers', allowed.join(', '))
  headers.set('Access-Control-Max-Age', String((options ? options.maxAge : undefined) ?? 600))
  return new Response(null, { status: 204, headers })
}
