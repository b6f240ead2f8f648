import { X402Error } from '../errors/x402-error.js'
import type { SupportedKind, SupportedResponse } from '../schemas/facilitator.js'
import type { FacilitatorClient } from '../schemes/types.js'

/** A facilitator together with the kind it announced for one (scheme, network). */
export interface KindSource {
  kind: SupportedKind
  facilitator: FacilitatorClient
}

/** `/supported` of several facilitators, fetched lazily, cached with a TTL, refreshed without failing open. */
export interface SupportedCache {
  /** Fetches now; throws `X402Error('facilitator_unreachable')` if no facilitator answered. */
  refresh(): Promise<void>
  /** The first facilitator (in order) supporting (scheme, network) with x402Version 2. */
  find(scheme: string, network: string): Promise<KindSource | undefined>
  /**
   * What `find` would answer, synchronously, while the cached answers are fresh; `null` when `find` would
   * have to fetch first. Lets per-request code skip promise hops in the common case.
   */
  peek(scheme: string, network: string): KindSource | undefined | null
}

const RETRY_AFTER_FAILURE_MS = 2_000

export function createSupportedCache(
  facilitators: FacilitatorClient[],
  ttlMs: number,
  now: () => number = Date.now,
): SupportedCache {
  let responses: (SupportedResponse | undefined)[] | undefined
  let fetchedAt = 0
  let lookups = new Map<string, KindSource | undefined>()
  let inflight: Promise<void> | undefined
  let lastFailure: { at: number; error: unknown } | undefined

  async function fetchAll(): Promise<void> {
    const results = await Promise.allSettled(facilitators.map((facilitator) => facilitator.supported()))
    if (results.every((result) => result.status === 'rejected')) {
      const reasons = results
        .map((result) => (result.status === 'rejected' ? messageOf(result.reason) : ''))
        .join('; ')
      const error = new X402Error('facilitator_unreachable', `no facilitator answered /supported: ${reasons}`)
      lastFailure = { at: now(), error }
      throw error
    }
    // A facilitator that failed this time keeps its previous answer (stale beats failing every route).
    responses = results.map((result, index) =>
      result.status === 'fulfilled' ? result.value : responses?.[index],
    )
    fetchedAt = now()
    lookups = new Map()
    lastFailure = undefined
  }

  function refresh(): Promise<void> {
    inflight ??= fetchAll().finally(() => {
      inflight = undefined
    })
    return inflight
  }

  async function ensure(): Promise<void> {
    if (responses && now() - fetchedAt < ttlMs) return
    if (!responses && lastFailure && now() - lastFailure.at < RETRY_AFTER_FAILURE_MS) throw lastFailure.error
    try {
      await refresh()
    } catch (error) {
      if (!responses) throw error
      fetchedAt = now() - ttlMs + RETRY_AFTER_FAILURE_MS // keep serving the stale answer, retry soon
    }
  }

  function lookup(scheme: string, network: string): KindSource | undefined {
    const key = `${scheme} ${network}`
    if (lookups.has(key)) return lookups.get(key)
    let found: KindSource | undefined
    for (const [index, response] of (responses ?? []).entries()) {
      const kind = response?.kinds.find(
        (k) => k.x402Version === 2 && k.scheme === scheme && k.network === network,
      )
      const facilitator = facilitators[index]
      if (kind && facilitator) {
        found = { kind, facilitator }
        break
      }
    }
    lookups.set(key, found)
    return found
  }

  return {
    refresh,
    async find(scheme, network) {
      await ensure()
      return lookup(scheme, network)
    },
    peek(scheme, network) {
      if (!responses || now() - fetchedAt >= ttlMs) return null
      return lookup(scheme, network)
    },
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
