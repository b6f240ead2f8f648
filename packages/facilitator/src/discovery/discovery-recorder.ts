import {
  BAZAAR,
  type BazaarExtensionResponse,
  type DiscoveryCatalogEntry,
  discoveryEntryOf,
  type PaymentPayload,
  type PaymentRequirements,
} from '@open402/core'
import type { FacilitatorLogger } from '../facilitator-logger.js'
import type { DiscoveryOutcome, FacilitatorMetrics } from '../facilitator-metrics.js'
import type { Drain } from '../http/drain.js'
import type { DiscoveryStore } from './discovery-store.js'
import { type UsdDecimals, usdAmountOf } from './usd-assets.js'

/** Options of {@link createDiscoveryRecorder}. */
export interface DiscoveryRecorderOptions {
  catalog: Pick<DiscoveryStore, 'upsert'>
  usdDecimals: UsdDecimals
  logger: FacilitatorLogger
  metrics: FacilitatorMetrics
  /** Shutdown waits for the writes it tracks. */
  drain: Drain
  /** An unchanged entry seen again within this time is not written again (default 60 000 ms). */
  refreshMs?: number
  /** Writes waiting at most; past it new entries are dropped, counted and logged (default 1 000). */
  maxPending?: number
  /** Writes running at once (default 4). */
  concurrency?: number
}

/** Catalogs what `/verify` and `/settle` see, off the request's path. */
export interface DiscoveryRecorder {
  /**
   * Validates the payment's `extensions.bazaar` now (in memory) and schedules the catalog write for after
   * the answer: never waits for the database, never throws. Returns the `bazaar` entry of
   * `EXTENSION-RESPONSES`, or `undefined` when the payment declares no discovery.
   */
  observe(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    paid: boolean,
  ): BazaarExtensionResponse | undefined
}

const MAX_REMEMBERED = 10_000
const WARN_EVERY_MS = 10_000

/**
 * Creates the recorder the facilitator app runs after each `/verify` and `/settle` (extensions/bazaar.md
 * "Facilitator Behavior"). Only payments that verified or settled are cataloged, so an unsigned payload
 * cannot fill the catalog. A malformed declaration is answered `rejected` with its reason and counted; a
 * valid one is answered `processing` and written in the background; a failed write is logged and counted
 * (`open402_discovery_total{result="error"}`) and retried the next time the resource is paid.
 */
export function createDiscoveryRecorder(options: DiscoveryRecorderOptions): DiscoveryRecorder {
  const { catalog, usdDecimals, logger, metrics, drain } = options
  const refreshMs = options.refreshMs ?? 60_000
  const maxPending = options.maxPending ?? 1_000
  const concurrency = options.concurrency ?? 4
  /** Last write per catalog key: its content and when, or `pending` while it runs. */
  const written = new Map<string, { fingerprint: string; at: number; pending: boolean }>()
  /** Writes waiting for one of the `concurrency` slots. */
  const waiting: (() => void)[] = []
  let running = 0
  let lastDropWarning = 0

  const count = (outcome: DiscoveryOutcome) => metrics.recordDiscovery(outcome)

  // A slot is taken synchronously when one is free, so `waiting` counts exactly the writes that back up.
  const acquire = (): Promise<void> => {
    if (running < concurrency) {
      running++
      return Promise.resolve()
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = (): void => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  /** Runs `write` after the current answer, tracked from now on so that a shutdown waits for it. */
  function run(write: () => Promise<void>): void {
    void drain.track(async () => {
      await acquire()
      try {
        // setImmediate runs once the current answer's microtasks have handed it to the socket, so a
        // synchronous SQLite commit never delays the response it comes from.
        await new Promise((resolve) => setImmediate(resolve))
        await write()
      } finally {
        release()
      }
    })
  }

  function remember(key: string, fingerprint: string): void {
    if (written.size >= MAX_REMEMBERED && !written.has(key)) {
      const oldest = written.keys().next().value
      if (oldest !== undefined) written.delete(oldest)
    }
    written.delete(key) // re-inserted last: the map stays ordered by recency
    written.set(key, { fingerprint, at: Date.now(), pending: true })
  }

  function schedule(key: string, fingerprint: string, entry: DiscoveryCatalogEntry): BazaarExtensionResponse {
    if (waiting.length >= maxPending) {
      count('dropped')
      if (Date.now() - lastDropWarning > WARN_EVERY_MS) {
        lastDropWarning = Date.now()
        logger.warn(
          { pending: waiting.length },
          'discovery catalog writes are backing up; dropping new entries',
        )
      }
      return {
        status: 'rejected',
        rejectedReason: 'the catalog is busy; the resource will be cataloged on a later payment',
      }
    }
    remember(key, fingerprint)
    const usdAmount = usdAmountOf(entry.offer, usdDecimals)
    run(async () => {
      try {
        await catalog.upsert(entry, usdAmount === undefined ? {} : { usdAmount })
        const state = written.get(key)
        if (state?.fingerprint === fingerprint) state.pending = false
        count('cataloged')
      } catch (error) {
        if (written.get(key)?.fingerprint === fingerprint) written.delete(key)
        count('error')
        logger.error(
          { err: error, resource: entry.resource, operation: entry.operation },
          'discovery catalog write failed',
        )
      }
    })
    return { status: 'processing' }
  }

  return {
    observe(payload, requirements, paid) {
      if (payload.extensions?.[BAZAAR] === undefined) return undefined
      if (!paid) {
        count('unpaid')
        return {
          status: 'rejected',
          rejectedReason: 'only resources whose payment verified or settled are cataloged',
        }
      }
      const found = discoveryEntryOf(payload, requirements)
      if (found.kind === 'none') return undefined
      if (found.kind === 'rejected') {
        count('rejected')
        logger.info({ reason: found.reason }, 'discovery declaration rejected')
        return { status: 'rejected', rejectedReason: found.reason }
      }
      const { entry } = found
      const key = JSON.stringify([entry.type, entry.resource, entry.operation])
      const fingerprint = JSON.stringify(entry)
      const last = written.get(key)
      if (last && last.fingerprint === fingerprint && Date.now() - last.at < refreshMs) {
        count('unchanged')
        return { status: last.pending ? 'processing' : 'success' }
      }
      return schedule(key, fingerprint, entry)
    },
  }
}
