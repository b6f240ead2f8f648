import { performance } from 'node:perf_hooks'

/** One bounded load measurement. */
export interface Measurement {
  /** Requests that got the expected answer. */
  ok: number
  /** Requests that threw or got another answer. */
  failed: number
  seconds: number
  /** `ok / seconds`. */
  perSecond: number
  medianMs: number
  p95Ms: number
  /** The first failure seen, to explain a non-zero `failed`. */
  firstFailure?: string
}

/** One run's raw data, before rounds are merged into a {@link Measurement}. */
export interface Run {
  latencies: number[]
  failed: number
  seconds: number
  firstFailure?: string
}

export interface MeasureOptions {
  /** Stop starting new requests after this long. */
  durationMs: number
  /** Requests in flight at once (1 = sequential). */
  concurrency: number
  /** Stop after this many requests even if time is left. */
  maxRequests?: number
  /** One request; resolves `true` when the answer is the expected one, else a description of what came. */
  request: () => Promise<true | string>
}

/** Runs `request` from `concurrency` loops until the time or request budget is spent. */
export async function measure(options: MeasureOptions): Promise<Run> {
  const { durationMs, concurrency, maxRequests = Number.POSITIVE_INFINITY, request } = options
  const latencies: number[] = []
  let started = 0
  let failed = 0
  let firstFailure: string | undefined
  const start = performance.now()
  const deadline = start + durationMs
  const loop = async () => {
    while (performance.now() < deadline && started < maxRequests) {
      started++
      const t = performance.now()
      try {
        const outcome = await request()
        if (outcome === true) {
          latencies.push(performance.now() - t)
          continue
        }
        firstFailure ??= outcome
      } catch (error) {
        firstFailure ??= error instanceof Error ? error.message : String(error)
      }
      failed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  return {
    latencies,
    failed,
    seconds: (performance.now() - start) / 1000,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  }
}

/** Merges rounds of the same measurement: throughput over their total time, quantiles over all latencies. */
export function summarize(runs: Run[]): Measurement {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b)
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0)
  const firstFailure = runs.find((run) => run.firstFailure !== undefined)?.firstFailure
  return {
    ok: latencies.length,
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    seconds,
    perSecond: latencies.length / seconds,
    medianMs: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
