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
  /** Whether the row prints the median latency besides the rate. */
  show: 'rate' | 'rate+median'
  /** What one successful request counts as in the rate's unit (default `req/s`). */
  rateUnit?: 'req/s' | 'settlements/s'
  /** Warm-up before the workload's first row, if not {@link WARMUP}. */
  warmup?: Warmup
  /**
   * Adjacent rows with the same group run their rounds interleaved (round 1 of each, then round 2 of
   * each, …), so rows compared with each other, not only across stacks, see the same machine.
   */
  group?: string
}

/** A short unmeasured run before a workload's first row, so JIT and connection set-up are not measured. */
export interface Warmup {
  durationMs: number
  maxRequests: number
  concurrency: number
}

/** Settle warm-up: one batch of 16, so the settle rows spend few of their pre-signed payments on it. */
const SETTLE_WARMUP: Warmup = { durationMs: 500, maxRequests: 16, concurrency: 16 }

/**
 * The measurements, each bounded in time so a full run (both stacks) stays under two minutes on two
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
  {
    key: 'settleOneKeyConcurrent16',
    label: 'facilitator POST /settle, 1 key, 16 concurrent',
    workload: 'settleOneKey',
    concurrency: 16,
    durationMs: 1_500,
    maxRequests: 450,
    rounds: 3,
    show: 'rate+median',
    rateUnit: 'settlements/s',
    warmup: SETTLE_WARMUP,
    group: 'settle',
  },
  {
    key: 'settleFourKeysConcurrent16',
    label: 'facilitator POST /settle, 4 keys, 16 concurrent',
    workload: 'settleFourKeys',
    concurrency: 16,
    durationMs: 1_500,
    maxRequests: 450,
    rounds: 3,
    show: 'rate+median',
    rateUnit: 'settlements/s',
    warmup: SETTLE_WARMUP,
    group: 'settle',
  },
]

/** Warm-up before measuring a workload, so JIT and connection set-up are not measured. */
export const WARMUP: Warmup = { durationMs: 500, maxRequests: 200, concurrency: 4 }

/**
 * The most requests the plan can send of `workload` to one stack (its rows' rounds times their request
 * budgets, plus one warm-up), so pools of distinct payments can be sized never to wrap.
 */
export function requestBudget(workload: keyof Workloads): number {
  const rows = PLAN.filter((planned) => planned.workload === workload)
  const measured = rows.reduce(
    (sum, row) => sum + row.rounds * (row.maxRequests ?? Number.POSITIVE_INFINITY),
    0,
  )
  if (!Number.isFinite(measured)) throw new Error(`bench/plan.ts: every ${workload} row needs maxRequests`)
  return measured + Math.max(0, ...rows.map((row) => (row.warmup ?? WARMUP).maxRequests))
}

/** The plan as runs of adjacent rows sharing a {@link PlannedMeasurement.group} (a row without one is alone). */
export function planGroups(plan: PlannedMeasurement[] = PLAN): PlannedMeasurement[][] {
  const groups: PlannedMeasurement[][] = []
  for (const planned of plan) {
    const last = groups.at(-1)
    if (planned.group !== undefined && last?.[0]?.group === planned.group) last.push(planned)
    else groups.push([planned])
  }
  return groups
}
