import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { SignerBalance } from './chains/configured-chain.js'

/** Labels of one verify or settle outcome; `reason` is a registry reason code or `none`. */
export interface OutcomeLabels {
  scheme: string
  network: string
  result: string
  reason: string
}

/**
 * What happened to a payment's discovery declaration: written to the catalog, rejected as malformed, not
 * written because unchanged since a recent write, not cataloged because the payment did not verify or
 * settle, dropped because writes were backing up, or lost to a failed write.
 */
export type DiscoveryOutcome = 'cataloged' | 'rejected' | 'unchanged' | 'unpaid' | 'dropped' | 'error'

/** Options of {@link createFacilitatorMetrics}. */
export interface FacilitatorMetricsOptions {
  /** Also collect the process metrics (CPU, memory, event loop, GC) of prom-client; default true. */
  processMetrics?: boolean
  /** How long signer balances read for one scrape are reused, in ms; default 15 000. */
  balanceCacheMs?: number
  /** How long one balance read may take during a scrape, in ms; default 2 000. */
  balanceTimeoutMs?: number
}

/** The facilitator's Prometheus metrics, in a registry of their own (never prom-client's global one). */
export interface FacilitatorMetrics {
  readonly registry: Registry
  /** Records a finished verify: its outcome and how long it took. */
  recordVerify(labels: OutcomeLabels, seconds: number): void
  /** Records a finished settle: its outcome and how long it took. */
  recordSettle(labels: OutcomeLabels, seconds: number): void
  /** Counts a settlement as pending until the returned function is called. */
  settleStarted(): () => void
  /** Counts a settlement handed to `signer` on `network`. */
  recordSignerSettle(network: string, signer: string): void
  /** Counts an HTTP answer by route and status. */
  recordHttp(method: string, route: string, status: number): void
  /** Counts a discovery declaration seen in `/verify` or `/settle` by what became of it. */
  recordDiscovery(outcome: DiscoveryOutcome): void
  /** Adds signers whose native balance `/metrics` reports (read on scrape, briefly cached). */
  watchBalances(balances: readonly SignerBalance[]): void
}

const VERIFY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const SETTLE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60]

/**
 * Creates the facilitator's metrics: `open402_verify_total` / `open402_settle_total` {scheme, network,
 * result, reason}, `open402_verify_duration_seconds` / `open402_settle_duration_seconds` {scheme, network,
 * result}, `open402_settlements_pending`, `open402_signer_settlements_total` {network, signer},
 * `open402_signer_balance` {network, signer}, `open402_http_requests_total` {method, route, status},
 * `open402_discovery_total` {result} and the process metrics. A balance that cannot be read is left out of the scrape, which still succeeds.
 * @example const metrics = createFacilitatorMetrics(); const text = await metrics.registry.metrics()
 */
export function createFacilitatorMetrics(options: FacilitatorMetricsOptions = {}): FacilitatorMetrics {
  const registry = new Registry()
  const registers = [registry]
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry })
  const outcome = ['scheme', 'network', 'result', 'reason'] as const
  const timing = ['scheme', 'network', 'result'] as const
  const verifyTotal = new Counter({
    name: 'open402_verify_total',
    help: 'Verify requests by outcome',
    labelNames: outcome,
    registers,
  })
  const settleTotal = new Counter({
    name: 'open402_settle_total',
    help: 'Settle requests by outcome',
    labelNames: outcome,
    registers,
  })
  const verifySeconds = new Histogram({
    name: 'open402_verify_duration_seconds',
    help: 'Time to answer a verify request',
    labelNames: timing,
    buckets: VERIFY_BUCKETS,
    registers,
  })
  const settleSeconds = new Histogram({
    name: 'open402_settle_duration_seconds',
    help: 'Time to answer a settle request (including waiting for the receipt)',
    labelNames: timing,
    buckets: SETTLE_BUCKETS,
    registers,
  })
  const pending = new Gauge({
    name: 'open402_settlements_pending',
    help: 'Settlements in flight in this process',
    registers,
  })
  const signerSettles = new Counter({
    name: 'open402_signer_settlements_total',
    help: 'Settlements handed to each signer',
    labelNames: ['network', 'signer'] as const,
    registers,
  })
  const discovery = new Counter({
    name: 'open402_discovery_total',
    help: 'Discovery declarations seen in verify and settle, by what became of them',
    labelNames: ['result'] as const,
    registers,
  })
  const http = new Counter({
    name: 'open402_http_requests_total',
    help: 'HTTP answers by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })

  const watched: SignerBalance[] = []
  const cacheMs = options.balanceCacheMs ?? 15_000
  const timeoutMs = options.balanceTimeoutMs ?? 2_000
  let cached: { at: number; values: { network: string; signer: string; value: number }[] } | undefined
  let reading: Promise<typeof cached> | undefined
  const readBalances = async () => {
    const read = await Promise.allSettled(
      watched.map(async (balance) => ({
        ...balance,
        value: Number(await withTimeout(balance.read(), timeoutMs)),
      })),
    )
    const values = read.flatMap((result) =>
      result.status === 'fulfilled'
        ? [{ network: result.value.network, signer: result.value.signer, value: result.value.value }]
        : [],
    )
    return { at: Date.now(), values }
  }
  new Gauge({
    name: 'open402_signer_balance',
    help: "Native balance of each signer in the chain's smallest unit (wei, lamports); absent when unreadable",
    labelNames: ['network', 'signer'] as const,
    registers,
    async collect() {
      this.reset()
      if (watched.length === 0) return
      if (!cached || Date.now() - cached.at > cacheMs) {
        reading ??= readBalances().finally(() => {
          reading = undefined
        })
        cached = await reading
      }
      for (const { network, signer, value } of cached?.values ?? []) this.set({ network, signer }, value)
    },
  })

  return {
    registry,
    recordVerify(labels, seconds) {
      verifyTotal.inc(labels)
      verifySeconds.observe(
        { scheme: labels.scheme, network: labels.network, result: labels.result },
        seconds,
      )
    },
    recordSettle(labels, seconds) {
      settleTotal.inc(labels)
      settleSeconds.observe(
        { scheme: labels.scheme, network: labels.network, result: labels.result },
        seconds,
      )
    },
    settleStarted() {
      pending.inc()
      let done = false
      return () => {
        if (done) return
        done = true
        pending.dec()
      }
    },
    recordSignerSettle(network, signer) {
      signerSettles.inc({ network, signer })
    },
    recordHttp(method, route, status) {
      http.inc({ method, route, status: String(status) })
    },
    recordDiscovery(outcome) {
      discovery.inc({ result: outcome })
    },
    watchBalances(balances) {
      watched.push(...balances)
      cached = undefined
    },
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
