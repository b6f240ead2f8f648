import { createHttpPaymentHandler, type HttpPaymentHandlerOptions, type ResourceServer } from '@open402/core'
import type { MiddlewareHandler } from 'hono'

/** Options of {@link paymentMiddleware}: the paid routes and CORS settings, as in every open402 adapter. */
export type PaymentMiddlewareOptions = HttpPaymentHandlerOptions

/**
 * Hono middleware that asks for x402 payment on the configured routes: it answers 402 until a valid
 * PAYMENT-SIGNATURE arrives, runs the handler, then settles and adds PAYMENT-RESPONSE
 * (transports-v2/http.md); routes with `settlement: 'before'` settle first, so streamed responses
 * (`streamSSE`) flow through unbuffered. All protocol decisions are made by `@open402/core`.
 * @example app.use(paymentMiddleware(server, { routes: { 'GET /weather': { accepts } } }))
 */
export function paymentMiddleware(
  server: ResourceServer,
  options: PaymentMiddlewareOptions,
): MiddlewareHandler {
  const handler = createHttpPaymentHandler(server, options)
  return async (c, next) => {
    const outcome = await handler.handle(c.req.raw, { rawPath: rawTarget(c.env) })
    if (outcome.kind === 'respond') return outcome.response
    if (outcome.kind === 'free') return next()
    await next()
    const response = await outcome.settle(c.res)
    // Clear first: hono's setter would otherwise copy the handler's headers onto a 402 that replaces it.
    c.res = undefined
    c.res = response
  }
}

/** The request target as received, when running on @hono/node-server (`c.env.incoming.url`). */
function rawTarget(env: unknown): string | undefined {
  const url = (env as { incoming?: { url?: unknown } } | undefined)?.incoming?.url
  return typeof url === 'string' ? url : undefined
}
