/**
 * Makes settlement of one payment id exclusive: `acquire` returns true for exactly one caller while the
 * payment is being settled or was settled within the window. A database table with a unique key can
 * implement the same interface.
 */
export interface SettlementGuard {
  /** True if the caller may settle `id`; false if it is being settled or was settled recently. */
  acquire(id: string): Promise<boolean> | boolean
  /** Ends a settlement: `settled` keeps the id blocked for the window, otherwise it is freed for a retry. */
  release(id: string, settled: boolean): Promise<void> | void
}

/** Options of {@link createMemorySettlementGuard}. */
export interface MemorySettlementGuardOptions {
  /** How long a settled id stays blocked (default 10 minutes). */
  ttlMs?: number
  /** Clock, for tests. */
  now?: () => number
}

/** An in-process {@link SettlementGuard} keeping ids in a Map (one process only). */
export function createMemorySettlementGuard(options: MemorySettlementGuardOptions = {}): SettlementGuard {
  const ttlMs = options.ttlMs ?? 10 * 60_000
  const now = options.now ?? Date.now
  // id -> expiry time; Infinity while the settlement is in flight.
  const entries = new Map<string, number>()
  let lastSweep = now()
  const sweep = (time: number) => {
    if (time - lastSweep < 1000) return
    lastSweep = time
    for (const [id, expiry] of entries) if (expiry <= time) entries.delete(id)
  }
  return {
    acquire(id) {
      const time = now()
      sweep(time)
      const expiry = entries.get(id)
      if (expiry !== undefined && expiry > time) return false
      entries.set(id, Number.POSITIVE_INFINITY)
      return true
    },
    release(id, settled) {
      if (settled) entries.set(id, now() + ttlMs)
      else entries.delete(id)
    },
  }
}
