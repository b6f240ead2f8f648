/**
 * Payment ids this facilitator found valid moments ago (in memory, per instance): a settle of one of them
 * may skip checks its verify just made against the chain (`SettleContext.verified`). Bounded in time and
 * size; the oldest ids are forgotten first.
 */
export interface RecentVerifications {
  add(id: string): void
  /** Whether `id` was verified within the window; forgets it (a settle asks once). */
  take(id: string): boolean
}

export function createRecentVerifications(
  ttlMs = 120_000,
  max = 10_000,
  now: () => number = Date.now,
): RecentVerifications {
  const expiries = new Map<string, number>() // insertion order = age
  return {
    add(id) {
      expiries.delete(id)
      expiries.set(id, now() + ttlMs)
      if (expiries.size > max) expiries.delete(expiries.keys().next().value as string)
    },
    take(id) {
      const expiry = expiries.get(id)
      if (expiry === undefined) return false
      expiries.delete(id)
      return expiry >= now()
    },
  }
}
