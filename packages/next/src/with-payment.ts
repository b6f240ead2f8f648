import {
  createHttpPaymentHandler,
  type HttpPaymentHandlerOptions,
  type ResourceServer,
  type RouteConfig,
} from '@open402/core'

/** Options shared by every route a wrapper guards: CORS and the PAYMENT-SIGNATURE size limit. */
export type PaymentWrapperOptions = Omit<HttpPaymentHandlerOptions, 'routes'>

/**
 * An App Router route handler: a Web `Request` (Next passes a `NextRequest`, which extends it) and Next's
 * context argument (`{ params }`), handed through unchanged.
 */
export type RouteHandler<TRequest extends Request = Request, TRest extends unknown[] = unknown[]> = (
  request: TRequest,
  ...rest: TRest
) => Response | Promise<Response>

/** Guards one route handler with the payment `route` (its `accepts`, `description`, `settlement` …). */
export type WithPayment = <TRequest extends Request, TRest extends unknown[]>(
  route: RouteConfig,
  handler: RouteHandler<TRequest, TRest>,
) => (request: TRequest, ...rest: TRest) => Promise<Response>

// Every path and method: the payment is bound to the wrapped handler, not to a URL, so basePath,
// rewrites and Next's own path normalisation can neither skip it nor apply it to another route.
const EVERY_REQUEST = '/*'

/**
 * Returns `withPayment(route, handler)`, which wraps a Next.js App Router route handler in x402 payment
 * (transports-v2/http.md): it answers 402 with `PAYMENT-REQUIRED` until a valid `PAYMENT-SIGNATURE`
 * arrives and runs the handler only after the payment verified. With `settlement: 'after'` (default) it
 * settles once the handler answered below 400, and sends the handler's response with `PAYMENT-RESPONSE`,
 * or a 402 instead when settlement fails; with `'before'` it settles first, so streamed bodies flow
 * through. A handler that throws gets a 500 and, in mode `after`, costs nothing. Exported as `OPTIONS`
 * too, a wrapped handler answers CORS preflights. All protocol decisions are made by `@open402/core`.
 * @example export const GET = withPayment({ accepts }, async () => Response.json({ weather: 'sunny' }))
 */
export function createPaymentWrapper(
  server: ResourceServer,
  options: PaymentWrapperOptions = {},
): WithPayment {
  return (route, handler) => {
    // Compiled here, at module load: a bad route (scheme, price, network) throws at startup.
    const payment = createHttpPaymentHandler(server, { ...options, routes: { [EVERY_REQUEST]: route } })
    return async (request, ...rest) => {
      const outcome = await payment.handle(request)
      if (outcome.kind === 'respond') return outcome.response
      // A preflight when `cors` is false: CORS is left to the app, and the handler never runs unpaid.
      // `granted`: the `access` option let this request in without payment (e.g. sign-in-with-x).
      if (outcome.kind === 'free') {
        return outcome.granted ? handler(request, ...rest) : new Response(null, { status: 204 })
      }
      let response: Response
      try {
        response = await handler(request, ...rest)
      } catch (error) {
        // Caught so the settlement decision stays ours: Next would answer 500 without PAYMENT-RESPONSE.
        console.error('@open402/next: the route handler threw', error)
        response = Response.json(
          { error: 'internal_error', message: 'the route handler failed' },
          { status: 500, headers: { 'cache-control': 'no-store' } },
        )
      }
      // Mode after: a status >= 400 comes back unsettled; mode before: only PAYMENT-RESPONSE is added.
      return outcome.settle(response)
    }
  }
}
