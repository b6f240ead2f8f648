import type { Workloads } from './workloads.js'

/** One row of the bench: a workload at a concurrency, run in alternating rounds on each stack. */
export interface PlannedMeasurement {
  key: string
  label: string
  workload: keyof Workloads
  concurrency: number
  /** Time budget of one round. */
  durationMs: number
  /** Request budget of one round. */
  maxRequests?: number
  rounds: number
  /** Whether the row prints the median latency instead of the rate. */
  show: 'rate' | 'rate+median'
}

/**
 * The measurements, each bounded in time so a full run (both stacks) stays well under two minutes on two
 * cores. Rounds alternate between the stacks so a busy machine slows both alike.
 */
export const PLAN: PlannedMeasurement[] = [
  {
    key: 'unpaidSequential',
    label: 'unpaid 402 (node:http), sequential',
    workload: 'unpaid',
    concurrency: 1,
    durationMs: 1_000,
    rounds: 3,
    show: 'rate',
  },
  {
    key: 'unpaidConcurrent16',
    label: 'unpaid 402 (node:http), 16 concurrent',
    workload: 'unpaid',
    concurrency: 16,
    durationMs: 1_000,
    rounds: 3,
    show: 'rate',
  },
  {
    key: 'inProcessUnpaid',
    label: 'in-process unpaid 402 (app.request)',
    workload: 'inProcessUnpaid',
    concurrency: 1,
    durationMs: 1_000,
    rounds: 3,
    show: 'rate',
  },
  {
    key: 'inProcessPaid',
    label: 'in-process paid, stub facilitator',
    workload: 'inProcessPaid',
    concurrency: 1,
    durationMs: 1_000,
    rounds: 3,
    show: 'rate',
  },
  {
    key: 'paidSequential',
    label: 'paid end to end, sequential',
    workload: 'paid',
    concurrency: 1,
    durationMs: 3_000,
    maxRequests: 50,
    rounds: 2,
    show: 'rate+median',
  },
  {
    key: 'paidConcurrent4',
    label: 'paid end to end, 4 concurrent',
    workload: 'paid',
    concurrency: 4,
    durationMs: 3_000,
    maxRequests: 100,
    rounds: 2,
    show: 'rate+median',
  },
  {
    key: 'verifySequential',
    label: 'facilitator POST /verify, sequential',
    workload: 'verify',
    concurrency: 1,
    durationMs: 1_000,
    maxRequests: 400,
    rounds: 3,
    show: 'rate',
  },
  {
    key: 'verifyConcurrent16',
    label: 'facilitator POST /verify, 16 concurrent',
    workload: 'verify',
    concurrency: 16,
    durationMs: 1_000,
    maxRequests: 600,
    rounds: 3,
    show: 'rate',
  },
]

/** Warm-up before measuring a workload, so JIT and connection set-up are not measured. */
export const WARMUP = { durationMs: 500, maxRequests: 200, concurrency: 4 }
