import type { Caip2 } from '../networks/caip2.js'
import type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
} from '../schemas/index.js'
import type { Price } from '../schemes/types.js'
import type { MeterConfig } from '../server/metered-stream.js'

/** One way a route accepts payment. `price` is converted by the scheme's server part. */
export interface PaymentOption {
  scheme: string
  network: Caip2
  /** A fixed price (its requirements are built once and reused) or a function of the request. */
  price: Price | DynamicPrice
  /** The recipient, or a function of the request (e.g. a seller id in the path). */
  payTo: string | DynamicPayTo
  /** Seconds the client has to complete the payment (default 300). */
  maxTimeoutSeconds?: number
  /** Extra scheme data merged into the requirements' `extra`. */
  extra?: Record<string, unknown>
}

/**
 * A price computed per request, from its path, query, headers, body (read a `request.clone()`, so the
 * handler can still read the body), the time or any server state. It runs for the 402 and again for the
 * paid retry, which must echo exactly the price computed then (README "Dynamic pricing").
 */
export type DynamicPrice = (request: Request) => Price | Promise<Price>

/** A `payTo` computed per request, with the same rules as {@link DynamicPrice}. */
export type DynamicPayTo = (request: Request) => string | Promise<string>

/**
 * When a route's payment is settled (README "Settlement modes"):
 * - `after` (default): verify, run the handler, settle only if it answered < 400, release only once settled.
 * - `before`: verify and settle first, then run the handler; its response is released whatever its status,
 *   unbuffered, so streamed bodies (server-sent events) work.
 * - `metered`: verify the authorized maximum, stream the handler's response, and settle what was delivered
 *   (the route's `meter`) when it ends or the client disconnects; the settlement is the stream's last event.
 */
export type SettlementMode = 'after' | 'before' | 'metered'

/** A paid route. */
export interface RouteConfig {
  accepts: PaymentOption | PaymentOption[]
  description?: string
  mimeType?: string
  /** Extensions declared in the 402 (`PaymentRequired.extensions`). */
  extensions?: Record<string, unknown>
  /**
   * When the payment is settled: `after` the handler succeeded (default), `before` it runs, or `metered`:
   * the handler streams, and what was delivered is settled when the stream ends or the client goes away
   * (README "Metered streams"; needs a scheme that settles up to the authorized amount, such as `upto`).
   */
  settlement?: SettlementMode
  /** What a `metered` route charges: per server-sent event or per started second, at `price` per unit. */
  meter?: MeterConfig
  /**
   * The HTML 402 page for browsers on this route: `false` answers browsers with the JSON 402 too, a
   * renderer replaces the handler's `paywall` option for this route (see `@open402/paywall`).
   */
  paywall?: false | PaywallRenderer
}

/**
 * Renders the HTML body of the 402 answered to a browser navigation (a GET or HEAD whose `Accept` prefers
 * `text/html`) that carries no payment; the answer keeps the PAYMENT-REQUIRED header. `@open402/paywall`'s
 * `createPaywall()` returns one.
 * @example const paywall: PaywallRenderer = (required) => `<h1>${required.accepts.length} ways to pay</h1>`
 */
export type PaywallRenderer = (paymentRequired: PaymentRequired, request: Request) => string | Promise<string>

/**
 * Paid routes keyed by `"METHOD /path"` or `"/path"` (every method). Paths match segment by segment;
 * `:name` matches one segment, a final `*` matches the rest (zero or more segments, so `/api/*` covers `/api`).
 * Matching is case-insensitive and fails closed: see `pathVariants`.
 */
export type RoutesConfig = Record<string, RouteConfig>

/** A payment that verified, as handed to the application. */
export interface VerifiedPayment {
  payload: PaymentPayload
  requirements: PaymentRequirements
  payer: string
}

/**
 * What the resource server decided about a request (DESIGN §3):
 * - `free`: not a paid route, or access was granted without payment (`granted`); run the handler as usual.
 * - `respond`: send `response` as is (402 with PAYMENT-REQUIRED, 400, 5xx); do not run the handler.
 * - `paid`: the payment verified; run the handler, then send `await settle(handlerResponse)`, which is the
 *   handler's response with PAYMENT-RESPONSE when settlement succeeded, or a 402 when it did not (or the
 *   handler's own response unchanged, unsettled, when its status is >= 400). In settlement mode `before`
 *   the payment is already settled when `handle` returns `paid`: `settle` only adds PAYMENT-RESPONSE to
 *   the handler's response, whatever its status, without reading its body.
 */
export type PaymentOutcome =
  | {
      kind: 'free'
      /** Set when the handler's `access` option granted a paid route without payment (e.g. sign-in-with-x). */
      granted?: true
    }
  | { kind: 'respond'; response: Response }
  | {
      kind: 'paid'
      payment: VerifiedPayment
      settle(response: Response): Promise<Response>
    }

/** Result of settling, for callers that want the decoded PAYMENT-RESPONSE. */
export type SettleOutcome =
  | { settled: true; response: SettleResponse }
  | { settled: false; response: SettleResponse }

/** What an adapter may add about the request beyond the Web `Request`. */
export interface HandleContext {
  /**
   * The raw request target as received (e.g. node's `req.url`), before URL parsing resolved dot segments
   * and backslashes; it is matched in addition to `new URL(request.url).pathname`.
   */
  rawPath?: string
}

/** Compiled once from a RoutesConfig; `handle` is the per-request entry point every adapter calls. */
export interface HttpPaymentHandler {
  handle(request: Request, context?: HandleContext): Promise<PaymentOutcome>
}
