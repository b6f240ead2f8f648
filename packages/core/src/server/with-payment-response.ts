import { encodePaymentResponse, PAYMENT_RESPONSE_HEADER } from '../http/payment-headers.js'
import { type CorsOptions, EXPOSED_HEADERS } from './cors.js'

/**
 * The handler's response with PAYMENT-RESPONSE (and the CORS headers that expose it) added. Its headers
 * are changed in place when they are mutable, which keeps the response as the framework built it (for
 * @hono/node-server, a string body written directly rather than streamed); a response with immutable
 * headers (e.g. from `fetch`) is copied.
 */
export function withPaymentResponse(
  response: Response,
  result: Parameters<typeof encodePaymentResponse>[0],
  cors: CorsOptions | undefined,
): Response {
  const encoded = encodePaymentResponse(result)
  try {
    addPaymentResponse(response.headers, encoded, cors)
    return response
  } catch {
    const headers = new Headers(response.headers)
    addPaymentResponse(headers, encoded, cors)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

function addPaymentResponse(headers: Headers, encoded: string, cors: CorsOptions | undefined): void {
  headers.set(PAYMENT_RESPONSE_HEADER, encoded)
  if (cors === false) return
  const exposed = headers.get('Access-Control-Expose-Headers')
  if (!exposed) headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS)
  else if (!/payment-response/i.test(exposed))
    headers.set('Access-Control-Expose-Headers', `${exposed}, ${EXPOSED_HEADERS}`)
  if (!headers.has('Access-Control-Allow-Origin'))
    headers.set('Access-Control-Allow-Origin', cors?.origin ?? '*')
}
