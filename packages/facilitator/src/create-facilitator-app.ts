import {
  BAZAAR,
  EXTENSION_RESPONSES_HEADER,
  encodeExtensionResponses,
  type FacilitatorClient,
  type FacilitatorRequest,
  LEDGER_UNAVAILABLE,
  type PaymentPayload,
  type PaymentRequirements,
} from '@open402/core'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createDiscoveryRecorder } from './discovery/discovery-recorder.js'
import { registerDiscoveryRoute } from './discovery/discovery-route.js'
import type { DiscoveryStore } from './discovery/discovery-store.js'
import { createUsdDecimals, type UsdDecimals } from './discovery/usd-assets.js'
import { createFacilitatorLogger, type FacilitatorLogger } from './facilitator-logger.js'
import { createFacilitatorMetrics, type FacilitatorMetrics } from './facilitator-metrics.js'
import { type ApiKeyAuthOptions, apiKeyAuth } from './http/api-key-auth.js'
import { createDrain, type Drain } from './http/drain.js'
import { clientAddress, type FacilitatorEnv } from './http/facilitator-env.js'
import { createOutcomeLabeler } from './http/outcome-labels.js'
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './http/rate-limiter.js'
import { parseFacilitatorRequest } from './parse-facilitator-request.js'
import { type ReadinessCheck, type ReadinessReport, runReadinessChecks } from './readiness.js'

/** The guards an extra route can put in front of itself, as `/verify` and `/settle` do. */
export interface FacilitatorRouteGuards {
  /** The API key check (passes everything when no key is configured). */
  auth: MiddlewareHandler<FacilitatorEnv>
  /** The per-client rate limit (passes everything when none is configured). */
  rateLimit: MiddlewareHandler<FacilitatorEnv>
}

/** Options of the facilitator HTTP app. */
export interface FacilitatorAppOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger bodies get 413. */
  maxBodyBytes?: number
  /** Where request lines and unexpected errors go (default: warnings and errors as JSON on stderr). */
  logger?: FacilitatorLogger
  /** API keys required on `/verify` and `/settle` (and `/metrics` if `protectMetrics`). */
  auth?: ApiKeyAuthOptions
  /** Per-client limit on `/verify`, `/settle` and `/supported`, or a limiter of your own. */
  rateLimit?: RateLimitOptions | RateLimiter
  /** Take the client address from `X-Forwarded-For` (only behind a proxy that sets it); default false. */
  trustProxy?: boolean
  /** What `/readyz` checks: chain RPCs, the database (e.g. `{ name: 'storage', check: () => storage.ping() }`). */
  readiness?: readonly ReadinessCheck[]
  /** How long `/readyz` waits for each check (default 3 000 ms). */
  readinessTimeoutMs?: number
  /** The metrics served at `/metrics` (default: a fresh registry for this app). */
  metrics?: FacilitatorMetrics
  /** In-flight tracking for graceful shutdown (`startFacilitatorServer` passes its own). */
  drain?: Drain
  /** Adds routes (e.g. `GET /settlements/:id`) with the same guards as `/verify` and `/settle`. */
  routes?: (app: Hono<FacilitatorEnv>, guards: FacilitatorRouteGuards) => void
  /**
   * The discovery catalog (README "Discovery"): resources whose payment verified or settled are cataloged
   * from their `extensions.bazaar` after the answer, `GET /discovery/resources` lists them and
   * `/supported` announces `bazaar`.
   */
  discovery?: FacilitatorDiscoveryOptions
}

/** Options of the discovery catalog of the facilitator app. */
export interface FacilitatorDiscoveryOptions {
  /** Where the catalog is kept: `storage.discovery` of @open402/storage. */
  catalog: DiscoveryStore
  /** Dollar stablecoins for `maxPrice=$…` (default: USDC on the networks built into @open402/evm and svm). */
  usdDecimals?: UsdDecimals
  /** An unchanged resource seen again within this time is not written again (default 60 000 ms). */
  refreshMs?: number
}

/** Default request body limit: a payment is a few KiB at most. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

const UNEXPECTED_REASON = { verify: 'unexpected_verify_error', settle: 'unexpected_settle_error' } as const
const READINESS_CACHE_MS = 1000

/**
 * Serves a `FacilitatorClient` over the facilitator HTTP API (spec §7): `POST /verify`, `POST /settle`,
 * `GET /supported`, plus `GET /healthz`, `GET /readyz` and `GET /metrics`. Bodies are validated; errors are
 * JSON `{ error, message }`; each request is logged as one JSON line and counted in the metrics.
 *
 * @example
 * const app = createFacilitatorApp(facilitator, { auth: { apiKeys }, readiness: [{ name: 'storage', check: () => storage.ping() }] })
 * serve({ fetch: app.fetch, port: 4020, hostname: '127.0.0.1' })
 */
export function createFacilitatorApp(
  facilitator: FacilitatorClient,
  options: FacilitatorAppOptions = {},
): Hono<FacilitatorEnv> {
  const logger = options.logger ?? createFacilitatorLogger({ level: 'warn', destination: 'stderr' })
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const metrics = options.metrics ?? createFacilitatorMetrics()
  const drain = options.drain ?? createDrain()
  const trustProxy = options.trustProxy ?? false
  const labels = createOutcomeLabeler(facilitator)
  const app = new Hono<FacilitatorEnv>()
  const discovery =
    options.discovery &&
    createDiscoveryRecorder({
      catalog: options.discovery.catalog,
      usdDecimals: options.discovery.usdDecimals ?? createUsdDecimals(),
      logger,
      metrics,
      drain,
      ...(options.discovery.refreshMs === undefined ? {} : { refreshMs: options.discovery.refreshMs }),
    })
  /** Catalogs the payment's discovery declaration after the answer and says so in EXTENSION-RESPONSES. */
  const catalog = (
    c: Context<FacilitatorEnv>,
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    paid: boolean,
  ) => {
    const answer = discovery?.observe(payload, requirements, paid)
    if (answer) c.header(EXTENSION_RESPONSES_HEADER, encodeExtensionResponses({ bazaar: answer }))
  }

  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    if (drain.draining) c.header('Connection', 'close')
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath
    metrics.recordHttp(c.req.method, route, c.res.status)
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        reason: c.get('reason'),
        client: clientAddress(c, trustProxy),
      },
      'request',
    )
  })

  const rateLimit = rateLimitMiddleware(options.rateLimit, trustProxy)
  const auth = apiKeyAuth(options.auth ?? { apiKeys: [] }, rateLimit)
  const refuseWhileDraining: MiddlewareHandler<FacilitatorEnv> = async (c, next) => {
    if (!drain.draining) return next()
    c.set('reason', 'facilitator_unavailable')
    return c.json({ error: 'facilitator_unavailable', message: 'the facilitator is shutting down' }, 503)
  }
  const limit = bodyLimit({
    maxSize,
    onError: (c) => {
      c.set('reason', 'invalid_request_body')
      return c.json(
        { error: 'invalid_request_body', message: `body is larger than the limit of ${maxSize} bytes` },
        413,
      )
    },
  })

  const parse = async (c: Context<FacilitatorEnv>) => {
    const parsed = parseFacilitatorRequest(await c.req.text())
    if (!parsed.ok) c.set('reason', 'invalid_request_body')
    return parsed
  }
  const failed = (c: Context<FacilitatorEnv>, operation: 'verify' | 'settle', error: unknown) => {
    logger.error({ err: error, operation }, `${operation} failed unexpectedly`)
    c.set('reason', UNEXPECTED_REASON[operation])
    const message = `the facilitator failed to ${operation} the payment`
    return c.json({ error: UNEXPECTED_REASON[operation], message }, 500)
  }

  app.post('/verify', refuseWhileDraining, auth, rateLimit, limit, async (c) => {
    const parsed = await parse(c)
    if (!parsed.ok) return c.json({ error: 'invalid_request_body', message: parsed.message }, 400)
    const { paymentPayload, paymentRequirements } = parsed.request
    const started = performance.now()
    return drain.track(async () => {
      try {
        const result = await facilitator.verify(paymentPayload, paymentRequirements)
        const reason = result.isValid ? undefined : result.invalidReason
        if (reason) c.set('reason', reason)
        const outcome = await labels(paymentRequirements, result.isValid ? 'valid' : 'invalid', reason)
        metrics.recordVerify(outcome, (performance.now() - started) / 1000)
        catalog(c, paymentPayload, paymentRequirements, result.isValid)
        return c.json(result, statusOf(reason))
      } catch (error) {
        const outcome = await labels(paymentRequirements, 'error', UNEXPECTED_REASON.verify)
        metrics.recordVerify(outcome, (performance.now() - started) / 1000)
        return failed(c, 'verify', error)
      }
    })
  })

  app.post('/settle', refuseWhileDraining, auth, rateLimit, limit, async (c) => {
    const parsed = await parse(c)
    if (!parsed.ok) return c.json({ error: 'invalid_request_body', message: parsed.message }, 400)
    return drain.track(() => settle(c, parsed.request))
  })

  async function settle(c: Context<FacilitatorEnv>, request: FacilitatorRequest) {
    const { paymentPayload, paymentRequirements } = request
    const started = performance.now()
    const finished = metrics.settleStarted()
    try {
      const result = await facilitator.settle(paymentPayload, paymentRequirements)
      const reason = result.success ? undefined : result.errorReason
      if (reason) c.set('reason', reason)
      const status = result.success ? 'success' : result.status === 'pending' ? 'pending' : 'failure'
      metrics.recordSettle(
        await labels(paymentRequirements, status, reason),
        (performance.now() - started) / 1000,
      )
      catalog(c, paymentPayload, paymentRequirements, result.success)
      return c.json(result, statusOf(reason))
    } catch (error) {
      const outcome = await labels(paymentRequirements, 'error', UNEXPECTED_REASON.settle)
      metrics.recordSettle(outcome, (performance.now() - started) / 1000)
      return failed(c, 'settle', error)
    } finally {
      finished()
    }
  }

  app.get('/supported', rateLimit, async (c) => {
    try {
      const supported = await facilitator.supported()
      if (!discovery || supported.extensions.includes(BAZAAR)) return c.json(supported)
      return c.json({ ...supported, extensions: [...supported.extensions, BAZAAR] })
    } catch (error) {
      logger.error({ err: error }, 'supported failed unexpectedly')
      c.set('reason', 'facilitator_unavailable')
      const message = 'the facilitator failed to list its kinds'
      return c.json({ error: 'facilitator_unavailable', message }, 500)
    }
  })

  app.get('/healthz', (c) => c.json({ ok: true }))

  const readiness = readinessProbe(options.readiness ?? [], options.readinessTimeoutMs ?? 3000)
  app.get('/readyz', async (c) => {
    if (drain.draining) {
      c.set('reason', 'draining')
      return c.json({ ready: false, draining: true, checks: {} }, 503)
    }
    const report = await readiness()
    if (!report.ready) c.set('reason', 'not_ready')
    return c.json(report, report.ready ? 200 : 503)
  })

  const metricsGuard: MiddlewareHandler<FacilitatorEnv> = options.auth?.protectMetrics
    ? auth
    : (_c, next) => next()
  app.get('/metrics', metricsGuard, async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  )

  if (options.discovery) registerDiscoveryRoute(app, options.discovery.catalog, rateLimit, logger)
  options.routes?.(app, { auth, rateLimit })

  app.notFound((c) => {
    c.set('reason', 'not_found')
    return c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404)
  })

  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'request failed unexpectedly')
    c.set('reason', 'facilitator_unavailable')
    const message = 'the facilitator failed to handle the request'
    return c.json({ error: 'facilitator_unavailable', message }, 500)
  })

  return app
}

/**
 * The HTTP status of a verify or settle answer: 200 for results, except a store that is down (503), a
 * payment identifier used with another payment (409) and a malformed one (400). The body is the answer.
 */
function statusOf(reason: string | undefined): 200 | 400 | 409 | 503 {
  if (reason === LEDGER_UNAVAILABLE || reason === 'idempotency_store_unavailable') return 503
  if (reason === 'payment_identifier_conflict') return 409
  if (reason === 'invalid_payment_identifier') return 400
  return 200
}

function rateLimitMiddleware(
  option: RateLimitOptions | RateLimiter | undefined,
  trustProxy: boolean,
): MiddlewareHandler<FacilitatorEnv> {
  if (option === undefined) return (_c, next) => next()
  const limiter = 'take' in option ? option : createRateLimiter(option)
  return async (c, next) => {
    const decision = limiter.take(c.get('client') ?? `ip:${clientAddress(c, trustProxy)}`)
    if (decision.allowed) return next()
    c.set('reason', 'rate_limited')
    return c.json(
      { error: 'rate_limited', message: `too many requests; retry in ${decision.retryAfterSeconds} s` },
      429,
      { 'Retry-After': String(decision.retryAfterSeconds) },
    )
  }
}

/** Runs the checks at most once per second however often `/readyz` is polled (one run at a time). */
function readinessProbe(checks: readonly ReadinessCheck[], timeoutMs: number) {
  let last: { at: number; report: ReadinessReport } | undefined
  let running: Promise<ReadinessReport> | undefined
  return async () => {
    if (last && Date.now() - last.at < READINESS_CACHE_MS) return last.report
    running ??= runReadinessChecks(checks, timeoutMs).then((report) => {
      last = { at: Date.now(), report }
      running = undefined
      return report
    })
    return running
  }
}
