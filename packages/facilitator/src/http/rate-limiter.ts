/** Options of {@link createRateLimiter}: `requests` per `windowMs` per client, with bursts up to `requests`. */
export interface RateLimitOptions {
  requests: number
  windowMs: number
  /** Most clients tracked at once (default 100 000); the oldest idle ones are dropped first. */
  maxClients?: number
  /** Clock, for tests. */
  now?: () => number
}

/** The answer for one request: allowed, or refused with the seconds until a token is available. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** An in-memory per-client token bucket (one process only; each instance limits on its own). */
export interface RateLimiter {
  take(client: string): RateLimitDecision
}

/**
 * Creates a token bucket per client key: each bucket holds up to `requests` tokens and refills at
 * `requests / windowMs`; a request takes one token or is refused with the time until the next one.
 * @example const limiter = createRateLimiter({ requests: 120, windowMs: 60_000 })
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { requests, windowMs } = options
  const now = options.now ?? Date.now
  const maxClients = options.maxClients ?? 100_000
  const perMs = requests / windowMs
  // Map order is insertion order: re-inserting on use keeps the least recently used first.
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(client) {
      const time = now()
      const bucket = buckets.get(client)
      const tokens = bucket ? Math.min(requests, bucket.tokens + (time - bucket.at) * perMs) : requests
      buckets.delete(client)
      if (tokens < 1) {
        buckets.set(client, { tokens, at: time })
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) }
      }
      buckets.set(client, { tokens: tokens - 1, at: time })
      if (buckets.size > maxClients) {
        const oldest = buckets.keys().next().value
        if (oldest !== undefined) buckets.delete(oldest)
      }
      return { allowed: true }
    },
  }
}
