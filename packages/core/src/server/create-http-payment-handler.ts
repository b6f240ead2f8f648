import { isX402Error, X402Error } from '../errors/x402-error.js'
import { runStage, stageHooks } from '../facilitator/lifecycle-hooks.js'
import { paymentId } from '../facilitator/payment-id.js'
import {
  decodePaymentSignature,
  MAX_HEADER_LENGTH,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type {
  HttpPaymentHandler,
  PaymentOutcome,
  PaywallRenderer,
  RoutesConfig,
  VerifiedPayment,
} from '../http/types.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { type CorsOptions, corsHeaders, preflightResponse } from './cors.js'
import {
  createIdempotentPayments,
  type IdempotencyClaim,
  type IdempotencyOptions,
  type RouteIdempotency,
} from './idempotent-payments.js'
import { findMatchingOffer } from './match-offer.js'
import { checkMeter, type MeterConfig, meterResponse } from './metered-stream.js'
import { errorResponse, prefersHtml, RoutePaymentRequired } from './payment-responses.js'
import {
  type AccessHook,
  accessRefusal,
  checkAccess,
  type DeclareExtensionsHook,
  declareExtensions,
} from './request-hooks.js'
import type { ResourceServer } from './resource-server.js'
import { abortResponse, hookErrorResponse, type ResourceServerHookContext } from './resource-server-hooks.js'
import { createRouteLookup } from './route-lookup.js'
import { type CompiledRoute, compileRoutes } from './route-table.js'
import {
  decodeSettlementOverrides,
  SETTLEMENT_OVERRIDES_HEADER,
  withoutHeader,
} from './settlement-overrides.js'
import { createWellKnownResponder } from './well-known.js'
import { withPaymentResponse } from './with-payment-response.js'

/** Options of {@link createHttpPaymentHandler}; adapters take the same options. */
export interface HttpPaymentHandlerOptions {
  routes: RoutesConfig
  /** CORS headers on paid routes and preflight answers (default: origin `*`); `false` to leave CORS to the app. */
  cors?: CorsOptions
  /** Largest accepted PAYMENT-SIGNATURE header in characters (default 64 KiB). */
  maxHeaderLength?: number
  /**
   * Renders the 402 as an HTML page for browsers (a GET or HEAD without payment whose `Accept` prefers
   * `text/html`), e.g. `createPaywall()` of `@open402/paywall`; API clients keep the JSON 402. A route
   * opts out with `paywall: false` or brings its own renderer.
   */
  paywall?: PaywallRenderer
  /**
   * Decides before payment is asked for: `'grant'` runs the handler free (outcome `free`, `granted: true`),
   * `{ abort }` or a `Response` refuses, `undefined` goes on as usual (README "Access and per-request
   * extensions"; e.g. `@open402/siwx`). A hook that throws answers 500 `access_hook_error`.
   */
  access?: AccessHook
  /** Extension declarations for this request's unpaid 402, merged over the route's `extensions`. */
  declareExtensions?: DeclareExtensionsHook
  /**
   * Deduplicates paid requests by payment identifier (README "Idempotency (payment-identifier)"): every
   * paid route declares the extension, a retry of a settled payment gets the first answer again and
   * settles nothing, the same id with another payment gets 409. Without it, a route that declares
   * `payment-identifier` itself only has its ids checked (400s).
   */
  idempotency?: IdempotencyOptions
  /**
   * Answers `GET /.well-known/x402` with the paid routes, their fixed-price requirements and discovery
   * metadata (README "Discovery"), before any route is matched; `false` leaves that path to the app.
   */
  wellKnown?: boolean
  /**
   * For adapters: the framework hands the handler's response over only once it is complete (express and
   * fastify capture it), so `metered` routes, which must see what reaches the client as it streams, are
   * refused at startup.
   */
  buffersResponses?: boolean
}

const FREE: PaymentOutcome = Object.freeze({ kind: 'free' })
const GRANTED: PaymentOutcome = Object.freeze({ kind: 'free', granted: true })

/**
 * Compiles `routes` once and returns the per-request entry point shared by every framework adapter
 * (DESIGN §3; transports-v2/http.md). Invalid routes throw `X402Error('invalid_config')` naming the route.
 * @example const handler = createHttpPaymentHandler(server, { routes: { 'GET /weather': { accepts } } })
 */
export function createHttpPaymentHandler(
  server: ResourceServer,
  options: HttpPaymentHandlerOptions,
): HttpPaymentHandler {
  const routes = compileRoutes(options.routes)
  const cors = options.cors
  const maxLength = options.maxHeaderLength ?? MAX_HEADER_LENGTH
  // Built once; responses copy this record (lower-case names, as `Headers` would give them).
  const jsonHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  }
  for (const [name, value] of corsHeaders(cors)) jsonHeaders[name.toLowerCase()] = value
  const findRoute = createRouteLookup(routes)
  const wellKnown =
    options.wellKnown === false ? undefined : createWellKnownResponder(server, routes, jsonHeaders)
  const states = new Map<CompiledRoute, RoutePaymentRequired>()
  const idempotent = createIdempotentPayments(options.idempotency, jsonHeaders, cors)
  const identifiers = new Map<CompiledRoute, RouteIdempotency>()
  if (options.paywall !== undefined && typeof options.paywall !== 'function') {
    throw new X402Error('invalid_config', 'paywall must be a function returning HTML, e.g. createPaywall()')
  }
  for (const route of routes) {
    const accepts = Array.isArray(route.config.accepts) ? route.config.accepts : [route.config.accepts]
    if (accepts.length === 0)
      throw new X402Error('invalid_config', `route ${JSON.stringify(route.key)}: accepts is empty`)
    for (const option of accepts) {
      try {
        server.validateOption(option)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        throw new X402Error('invalid_config', `route ${JSON.stringify(route.key)}: ${message}`, {
          cause: error,
        })
      }
    }
    const paywall = route.config.paywall
    if (paywall !== undefined && paywall !== false && typeof paywall !== 'function') {
      throw new X402Error(
        'invalid_config',
        `route ${JSON.stringify(route.key)}: paywall must be false or a function returning HTML`,
      )
    }
    const mode = route.config.settlement
    if (mode !== undefined && mode !== 'after' && mode !== 'before' && mode !== 'metered') {
      throw new X402Error(
        'invalid_config',
        `route ${JSON.stringify(route.key)}: settlement must be "after", "before" or "metered", got ${JSON.stringify(mode)}`,
      )
    }
    if (mode === 'metered') {
      if (options.buffersResponses) {
        throw new X402Error(
          'invalid_config',
          `route ${JSON.stringify(route.key)}: metered streams need an adapter that streams the handler's response (@open402/hono, @open402/next); this one buffers it`,
        )
      }
      checkMeter(route.key, route.config.meter)
    }
    const identifier = idempotent.route(route.key, route.config)
    identifiers.set(route, identifier)
    states.set(route, new RoutePaymentRequired(identifier.config, jsonHeaders, options.paywall))
  }

  const respond = (response: Response): PaymentOutcome => ({ kind: 'respond', response })
  const unavailable = (message: string) =>
    respond(errorResponse(503, 'facilitator_unavailable', message, jsonHeaders))
  const verifyHooks = stageHooks(server.hooks, 'verify')
  const settleHooks = stageHooks(server.hooks, 'settle')

  /** Verifies and settles a decoded payment, in settlement mode `after` (default) or `before`. */
  async function pay(
    request: Request,
    state: RoutePaymentRequired,
    offers: PaymentRequirements[],
    payload: PaymentPayload,
    route: CompiledRoute,
    claim: IdempotencyClaim | undefined,
  ): Promise<PaymentOutcome> {
    const requirements = findMatchingOffer(payload.accepted, offers)
    if (!requirements) {
      const message = 'the accepted requirements do not match any offer of this resource; fetch the 402 again'
      return respond(state.refusalResponse(request, offers, 'payment_requirements_mismatch', message))
    }

    // Lifecycle hooks (README "Lifecycle hooks"): an abort refuses, a hook that throws answers 500 with
    // its `*_hook_error` reason, and neither ever lets the handler's content out.
    const hookContext: ResourceServerHookContext = { payload, requirements, request, route: route.key }
    const verified = await runStage(
      verifyHooks,
      hookContext,
      () => server.verify(payload, requirements),
      (result) => result.isValid,
    )
    if (verified.kind === 'error') {
      const error = verified.error
      return unavailable(`verify failed: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (verified.kind === 'abort') {
      return respond(abortResponse(verified, request, offers, state, jsonHeaders))
    }
    if (verified.kind === 'hook_error') return respond(hookErrorResponse(verified, jsonHeaders))
    if (verified.kind === 'failed') {
      const reason = verified.result.invalidReason ?? 'invalid_payload'
      if (reason === 'payment_identifier_conflict') {
        // The facilitator saw this id with another payment (spec: 409, not a 402 to pay again).
        const message =
          verified.result.invalidMessage ?? 'the payment identifier was used with another payment'
        return respond(errorResponse(409, reason, message, jsonHeaders))
      }
      return respond(state.refusalResponse(request, offers, reason, verified.result.invalidMessage))
    }
    const verification = verified.result

    const payment = { payload, requirements, payer: verification.payer ?? '' }
    /**
     * Settles `charged` (the requirements, or a smaller amount the handler reported); a `Response` is the
     * refusal to send instead of the content (503 or 402).
     */
    const settleNow = async (charged = requirements): Promise<SettleResponse | Response> => {
      const context = charged === requirements ? hookContext : { ...hookContext, requirements: charged }
      const settled = await runStage(
        settleHooks,
        context,
        () => server.settle(payload, charged),
        (answer, recovered) => answer.success && (recovered || answer.status !== 'pending'),
      )
      if (settled.kind === 'ok') return settled.result
      if (settled.kind === 'error') {
        const error = settled.error
        return errorResponse(
          503,
          'facilitator_unavailable',
          `settle failed: ${error instanceof Error ? error.message : String(error)}`,
          jsonHeaders,
        )
      }
      if (settled.kind === 'abort') return abortResponse(settled, request, offers, state, jsonHeaders)
      if (settled.kind === 'hook_error') return hookErrorResponse(settled, jsonHeaders, settled.result)
      const result = settled.result
      const reason =
        result.errorReason ?? (result.status === 'pending' ? 'settlement_pending' : 'settlement_failed')
      const message =
        result.errorMessage ??
        (result.status === 'pending'
          ? `the payment was sent (${result.transaction}) but is not confirmed yet`
          : 'settlement failed')
      return state.refusalResponse(request, offers, reason, message, result)
    }

    if (route.config.settlement === 'metered') {
      return meteredPayment(request, state, offers, payload, requirements, payment, route, settleNow)
    }

    if (route.config.settlement === 'before') {
      // Settled before the handler runs: a refusal means the handler never runs; on success the
      // handler's response (any status, any body, streamed or not) only gains PAYMENT-RESPONSE.
      const result = await settleNow()
      if (result instanceof Response) return respond(result)
      await claim?.settledFirst(result)
      let released: Promise<Response> | undefined
      return {
        kind: 'paid',
        payment,
        settle: (response) => {
          const content = withoutHeader(response, SETTLEMENT_OVERRIDES_HEADER) // settled already: no say
          released ??= Promise.resolve(withPaymentResponse(content, result, cors))
          return released
        },
      }
    }

    let settled: Promise<Response> | undefined
    const settleAfter = async (handled: Response): Promise<Response> => {
      const override = handled.headers.get(SETTLEMENT_OVERRIDES_HEADER)
      const response = withoutHeader(handled, SETTLEMENT_OVERRIDES_HEADER)
      if (response.status >= 400) return response
      let charged = requirements
      if (override !== null) {
        // The handler charges less than the maximum (upto): a bad amount settles nothing and sends nothing.
        try {
          const amount = server.settlementAmount(requirements, decodeSettlementOverrides(override))
          charged = { ...requirements, amount }
        } catch (error) {
          await response.body?.cancel().catch(() => {})
          const message = error instanceof Error ? error.message : String(error)
          return errorResponse(500, 'invalid_settlement_override', message, jsonHeaders)
        }
      }
      const result = await settleNow(charged)
      if (!(result instanceof Response)) return withPaymentResponse(response, result, cors)
      await response.body?.cancel().catch(() => {})
      return result
    }
    return {
      kind: 'paid',
      payment,
      settle: (response) => {
        settled ??= settleAfter(response)
        return settled
      },
    }
  }

  // Payments that opened a metered stream: one stream per payment (its content flows before it is settled).
  const meteredPayments = new Map<string, number>()

  /** A `metered` route's payment: the handler streams, and what was delivered is settled at the end. */
  async function meteredPayment(
    request: Request,
    state: RoutePaymentRequired,
    offers: PaymentRequirements[],
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    payment: VerifiedPayment,
    route: CompiledRoute,
    settleNow: (charged?: PaymentRequirements) => Promise<SettleResponse | Response>,
  ): Promise<PaymentOutcome> {
    const meterConfig = route.config.meter as MeterConfig
    let price: string
    try {
      price = server.settlementAmount(requirements, meterConfig.price)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return respond(
        errorResponse(500, 'invalid_payment_requirements', `meter price: ${message}`, jsonHeaders),
      )
    }
    const now = Date.now()
    for (const [used, expiry] of meteredPayments) if (expiry < now) meteredPayments.delete(used)
    const id = await paymentId(payload)
    if (meteredPayments.has(id)) {
      const message = 'this payment already opened a metered stream; pay again for another one'
      return respond(state.refusalResponse(request, offers, 'duplicate_settlement', message))
    }
    meteredPayments.set(id, now + (requirements.maxTimeoutSeconds + 3600) * 1000)
    const meter = { per: meterConfig.per, price, max: requirements.amount }
    let metered: Promise<Response> | undefined
    const start = async (response: Response): Promise<Response> => {
      const content = withoutHeader(response, SETTLEMENT_OVERRIDES_HEADER)
      if (content.status >= 400) {
        meteredPayments.delete(id) // nothing was delivered: the payment may be used again
        return content
      }
      return meterResponse(content, meter, requirements.network, async (delivered) => {
        const result = await settleNow({ ...requirements, amount: delivered.amount.toString() })
        if (!(result instanceof Response)) return result
        const refusal = (await result.json().catch(() => ({}))) as { error?: string; message?: string }
        return {
          success: false,
          errorReason: refusal.error ?? 'settlement_failed',
          ...(refusal.message === undefined ? {} : { errorMessage: refusal.message }),
        }
      })
    }
    return {
      kind: 'paid',
      payment,
      settle: (response) => {
        metered ??= start(response)
        return metered
      },
    }
  }

  return {
    async handle(request, context) {
      const method = request.method.toUpperCase()
      const rawPath = context?.rawPath
      if (wellKnown && (method === 'GET' || method === 'HEAD') && wellKnown.matches(request.url)) {
        return respond(await wellKnown.respond(request))
      }

      const preflightMethod =
        method === 'OPTIONS' ? request.headers.get('Access-Control-Request-Method') : null
      if (preflightMethod !== null) {
        if (cors === false || !findRoute(preflightMethod.toUpperCase(), rawPath, request.url)) return FREE
        return respond(preflightResponse(cors, request))
      }

      const route = findRoute(method, rawPath, request.url)
      if (!route) return FREE
      const state = states.get(route) as RoutePaymentRequired
      const access = await checkAccess(options.access, request, route, jsonHeaders)
      if (access.kind === 'grant') return GRANTED
      if (access.kind === 'respond') return respond(access.response)

      let offers: PaymentRequirements[]
      try {
        offers = await server.buildRequirements(route.config, request)
      } catch (error) {
        if (isX402Error(error, 'facilitator_unreachable')) return unavailable(error.message)
        const message = isX402Error(error)
          ? error.message
          : 'the payment requirements of this route could not be built'
        return respond(errorResponse(500, 'invalid_payment_requirements', message, jsonHeaders))
      }

      const header = request.headers.get(PAYMENT_SIGNATURE_HEADER)
      if (header === null || access.kind === 'abort') {
        const extensions = await declareExtensions(options.declareExtensions, request, route, jsonHeaders)
        if (extensions instanceof Response) return respond(extensions)
        if (access.kind === 'abort') {
          return respond(accessRefusal(access, request, offers, state, extensions, jsonHeaders))
        }
        const paywall = state.paywall
        if (
          paywall !== undefined &&
          (method === 'GET' || method === 'HEAD') &&
          prefersHtml(request.headers.get('Accept'))
        ) {
          return respond(await state.paywallResponse(request, offers, paywall, extensions))
        }
        return respond(state.unpaidResponse(request, offers, extensions))
      }

      let payload: PaymentPayload
      try {
        payload = decodePaymentSignature(header, { maxLength })
      } catch (error) {
        const message = error instanceof Error ? error.message : 'invalid PAYMENT-SIGNATURE header'
        const code = isX402Error(error, 'invalid_x402_version')
          ? 'invalid_x402_version'
          : 'invalid_payment_header'
        return respond(errorResponse(400, code, message, jsonHeaders))
      }

      const identified = await (identifiers.get(route) as RouteIdempotency).begin(request, payload)
      if (identified.kind === 'outcome') return identified.outcome
      const outcome = await pay(request, state, offers, payload, route, identified.claim)
      return identified.claim ? identified.claim.finish(outcome) : outcome
    },
  }
}
