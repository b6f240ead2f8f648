import {
  BAZAAR,
  DISCOVERY_RESOURCES_PATH,
  type DiscoveryResource,
  type DiscoveryResourcesResponse,
  parseDiscoveryQuery,
} from '@open402/core'
import type { Hono, MiddlewareHandler } from 'hono'
import type { FacilitatorLogger } from '../facilitator-logger.js'
import type { FacilitatorEnv } from '../http/facilitator-env.js'
import type { DiscoveryStore, DiscoveryStoreRecord } from './discovery-store.js'

/** A catalog record as an item of the listing (spec §8.2, plus what open402 adds). */
export function discoveryItemOf(record: DiscoveryStoreRecord): DiscoveryResource {
  const item: DiscoveryResource = {
    resource: record.resource,
    type: record.type,
    x402Version: record.x402Version,
    accepts: record.offers,
    lastUpdated: Math.floor(record.updatedAt / 1000),
  }
  if (record.description !== null) item.description = record.description
  if (record.mimeType !== null) item.mimeType = record.mimeType
  if (record.serviceName !== null) item.serviceName = record.serviceName
  if (record.tags.length > 0) item.tags = record.tags
  item.extensions = { [BAZAAR]: record.extension }
  return item
}

/**
 * `GET /discovery/resources` (spec §8.1): the spec's `type`, `limit` (1–100, default 20) and `offset`, and the
 * filters `network`, `scheme`, `asset`, `maxPrice` (atomic units, or `$` dollars for known stablecoins) and
 * `q`. Open to everyone, behind the rate limit; a bad parameter answers `400 { error: "invalid_query" }`
 * with the reason, an unreachable database `503 { error: "catalog_unavailable" }`.
 */
export function registerDiscoveryRoute(
  app: Hono<FacilitatorEnv>,
  catalog: Pick<DiscoveryStore, 'list'>,
  rateLimit: MiddlewareHandler<FacilitatorEnv>,
  logger: FacilitatorLogger,
): void {
  app.get(DISCOVERY_RESOURCES_PATH, rateLimit, async (c) => {
    const parsed = parseDiscoveryQuery(new URL(c.req.url).searchParams)
    if (!parsed.ok) {
      c.set('reason', 'invalid_query')
      return c.json({ error: 'invalid_query', message: parsed.reason }, 400)
    }
    const { query } = parsed
    let page: Awaited<ReturnType<DiscoveryStore['list']>>
    try {
      page = await catalog.list(query)
    } catch (error) {
      logger.error({ err: error }, 'discovery catalog read failed')
      c.set('reason', 'catalog_unavailable')
      return c.json({ error: 'catalog_unavailable', message: 'the discovery catalog is unavailable' }, 503)
    }
    const body: DiscoveryResourcesResponse = {
      x402Version: 2,
      items: page.records.map(discoveryItemOf),
      pagination: { limit: query.limit, offset: query.offset, total: page.total },
    }
    return c.json(body)
  })
}
