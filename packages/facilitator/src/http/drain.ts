/**
 * Tracks requests in flight so that a shutdown can stop taking new work and wait for the running
 * settlements to finish; `/readyz` answers 503 while `draining`.
 */
export interface Drain {
  readonly draining: boolean
  readonly inFlight: number
  /** Runs `work` as an in-flight request. */
  track<T>(work: () => Promise<T>): Promise<T>
  /** Starts draining and resolves true once nothing is in flight, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>
}

/** Creates a {@link Drain}. */
export function createDrain(): Drain {
  let draining = false
  let inFlight = 0
  const waiters = new Set<() => void>()
  return {
    get draining() {
      return draining
    },
    get inFlight() {
      return inFlight
    },
    async track(work) {
      inFlight++
      try {
        return await work()
      } finally {
        inFlight--
        if (inFlight === 0) for (const wake of waiters) wake()
      }
    },
    drain(timeoutMs) {
      draining = true
      if (inFlight === 0) return Promise.resolve(true)
      return new Promise<boolean>((resolve) => {
        const done = (finished: boolean) => {
          clearTimeout(timer)
          waiters.delete(wake)
          resolve(finished)
        }
        const wake = () => done(true)
        const timer = setTimeout(() => done(false), timeoutMs)
        waiters.add(wake)
      })
    },
  }
}
