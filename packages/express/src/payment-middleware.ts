import type { ServerResponse } from 'node:http'
import {
  bodyFromParsed,
  createHttpPaymentHandler,
  type HttpPaymentHandlerOptions,
  type ResourceServer,
} from '@open402/core'
import type {
  Request as ExpressRequest,
  Response as ExpressResponse,
  NextFunction,
  RequestHandler,
} from 'express'
import { type CapturedResponse, captureResponse } from './capture-response.js'
import { sendWebResponse } from './send-web-response.js'

/** Options of {@link paymentMiddleware}: the paid routes and CORS settings, as in every open402 adapter. */
export type PaymentMiddlewareOptions = HttpPaymentHandlerOptions

/**
 * x402 payment middleware for express 4 and 5: unpaid requests to a paid route get 402 with
 * `PAYMENT-REQUIRED`; a verified payment runs the rest of the chain, whose response is held back until
 * settlement succeeds and then sent with `PAYMENT-RESPONSE` (transports-v2/http.md).
 *
 * @example
 * app.use(paymentMiddleware(server, { routes: { 'GET /weather': { accepts: { scheme: 'exact', network, price: '$0.001', payTo } } } }))
 */
export function paymentMiddleware(server: ResourceServer, options: PaymentMiddlewareOptions): RequestHandler {
  // The handler's output is captured whole before it is settled: no metered streams here.
  const handler = createHttpPaymentHandler(server, { ...options, buffersResponses: true })
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const rawPath = rawRequestPath(req.originalUrl)
    handler
      .handle(toWebRequest(req), { rawPath })
      .then((outcome) => {
        if (outcome.kind === 'free') return next()
        if (outcome.kind === 'respond') return sendWebResponse(res, outcome.response, req.method)
        // Paid: the rest of the chain (handler, error handlers, 404) writes into a capture, never the socket.
        const capture = captureResponse(res)
        capture.ended.then((captured) => settleAndSend(res, req.method, captured, outcome.settle)).catch(next)
        return next()
      })
      .catch(next)
  }
}

async function settleAndSend(
  res: ServerResponse,
  method: string,
  captured: CapturedResponse,
  settle: (response: Response) => Promise<Response>,
): Promise<void> {
  let final: Response
  try {
    final = await settle(captured.toWebResponse())
  } finally {
    // Whatever happens, the handler's output is dropped unless settle returned it; on a throw the error
    // goes to express's error handling with no handler header left behind.
    captured.restore()
    for (const name of res.getHeaderNames()) res.removeHeader(name)
  }
  await sendWebResponse(res, final, method)
}

/** The request target's path exactly as received (before any decoding), for fail-closed route matching. */
function rawRequestPath(target: string): string {
  const withoutOrigin = target.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '')
  const end = withoutOrigin.search(/[?#]/)
  const path = end === -1 ? withoutOrigin : withoutOrigin.slice(0, end)
  return path === '' ? '/' : path
}

/**
 * A Web `Request` with the method, absolute URL and headers of `req`, and the body a parser mounted before
 * this middleware left in `req.body` (for prices computed from the body); without a parser, no body.
 */
function toWebRequest(req: ExpressRequest): Request {
  const body = bodyFromParsed(req.method, req.body)
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string
    if (name.startsWith(':')) continue // HTTP/2 pseudo-headers
    headers.append(name, req.rawHeaders[i + 1] as string)
  }
  if (body !== undefined) {
    headers.delete('content-length')
    headers.delete('transfer-encoding')
  }
  const host = req.get('host') ?? 'localhost'
  return new Request(`${req.protocol}://${host}${req.originalUrl}`, { method: req.method, headers, body })
}
