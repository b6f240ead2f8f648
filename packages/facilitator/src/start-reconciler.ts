import type { Facilitator, ReconcileReport } from '@open402/core'
import type { FacilitatorLogger } from './facilitator-logger.js'

/** Options of {@link startReconciler}. */
export interface ReconcilerOptions {
  /** Pause between passes (default 10 000 ms). */
  intervalMs?: number
  /** Only payments unchanged for this long (default: the interval), so in-flight settles finish themselves. */
  olderThanMs?: number
  logger?: FacilitatorLogger
}

/** A running reconciler. */
export interface Reconciler {
  /** Runs one pass now over every unfinished payment (as at start-up); undefined if it failed. */
  runOnce(options?: { olderThanMs?: number }): Promise<ReconcileReport | undefined>
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>
}

/**
 * Finishes settlements that were sent but never recorded as confirmed or failed (a pending answer, a
 * crash): one pass every `intervalMs`, never two at once. A failing pass (database or RPC down) is logged
 * and retried at the next tick.
 */
export function startReconciler(
  facilitator: Pick<Facilitator, 'reconcile'>,
  options: ReconcilerOptions = {},
): Reconciler {
  const intervalMs = options.intervalMs ?? 10_000
  const olderThanMs = options.olderThanMs ?? intervalMs
  let running: Promise<ReconcileReport | undefined> | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const runOnce = (pass: { olderThanMs?: number } = {}) => {
    running ??= facilitator
      .reconcile({ olderThanMs: pass.olderThanMs ?? olderThanMs })
      .then(
        (report) => {
          if (report.confirmed + report.failed > 0)
            options.logger?.info({ ...report }, 'reconciled settlements')
          return report
        },
        (error: unknown) => {
          options.logger?.warn({ err: error }, 'reconciling settlements failed; retrying at the next pass')
          return undefined
        },
      )
      .finally(() => {
        running = undefined
      })
    return running
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      runOnce().finally(schedule)
    }, intervalMs)
    timer.unref()
  }
  schedule()
  return {
    runOnce,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
