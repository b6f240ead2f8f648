import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { FacilitatorEnv } from './facilitator-env.js'

/** Options of the API key check on `/verify` and `/settle` (and `/metrics` if `protectMetrics`). */
export interface ApiKeyAuthOptions {
  /** Accepted keys; an empty list turns the check off. */
  apiKeys: readonly string[]
  /** Also require a key for `GET /metrics`; default false. */
  protectMetrics?: boolean
}

/** The key a request presents: `Authorization: Bearer KEY` or `X-API-Key: KEY`. */
export function presentedApiKey(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim()
  return bearer || headers.get('x-api-key')?.trim() || undefined
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Whether `presented` is one of `keys`, in time independent of where they differ: both sides are hashed to
 * 32 bytes and compared with `timingSafeEqual`, and every key is compared (no early exit).
 */
export function matchesApiKey(presented: string, keys: readonly Buffer[]): boolean {
  const candidate = digest(presented)
  let found = false
  for (const key of keys) found = timingSafeEqual(candidate, key) || found
  return found
}

/**
 * A hono middleware answering `401 { error: 'unauthorized' }` unless the request carries a configured key;
 * `limitFailures` (the rate limit, by address) runs before each refusal so keys cannot be guessed at speed.
 */
export function apiKeyAuth(
  options: ApiKeyAuthOptions,
  limitFailures?: MiddlewareHandler<FacilitatorEnv>,
): MiddlewareHandler<FacilitatorEnv> {
  const keys = options.apiKeys.map(digest)
  return async (c, next) => {
    const presented = presentedApiKey(c.req.raw.headers)
    if (keys.length === 0) return next()
    if (presented === undefined || !matchesApiKey(presented, keys)) {
      const limited = await limitFailures?.(c, async () => {})
      if (limited instanceof Response) return limited
      c.set('reason', 'unauthorized')
      return c.json(
        { error: 'unauthorized', message: 'send a valid API key as Authorization: Bearer KEY or X-API-Key' },
        401,
        { 'WWW-Authenticate': 'Bearer' },
      )
    }
    c.set('client', `key:${digest(presented).toString('hex').slice(0, 16)}`)
    await next()
  }
}
