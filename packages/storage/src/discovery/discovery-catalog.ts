import type {
  DiscoveryCatalogEntry,
  DiscoveryExtension,
  DiscoveryQuery,
  PaymentRequirements,
} from '@open402/core'

/** Options of {@link DiscoveryCatalog.upsert}. */
export interface DiscoveryUpsertOptions {
  /**
   * The offer's price in dollars scaled by 10^18 (`$0.01` → 10^16), when its asset is a dollar stablecoin
   * of known decimals; it is what a `maxUsd` filter compares. Offers without it never match `maxUsd`.
   */
  usdAmount?: bigint
}

/**
 * Filters of {@link DiscoveryCatalog.list}: core's `DiscoveryQuery` (what the facilitator's
 * `GET /discovery/resources` parsed). The offer filters (`network`, `scheme`, `asset` — compared
 * case-insensitively for `eip155:*` — `maxAmount` in atomic units, `maxUsd` in dollars scaled by 10^18) must
 * all hold for one offer of a listed resource; `terms` must all appear in the description, tags, service
 * name, URL or operation.
 */
export type DiscoveryListOptions = DiscoveryQuery

/** One cataloged resource with every offer seen for it (cheapest first). */
export interface DiscoveryRecord {
  resource: string
  type: 'http' | 'mcp'
  /** The HTTP method or the MCP tool name. */
  operation: string
  x402Version: number
  description: string | null
  mimeType: string | null
  serviceName: string | null
  tags: string[]
  extension: DiscoveryExtension
  offers: PaymentRequirements[]
  createdAt: number
  /** When it was last seen in a verify or settle (storage clock, epoch ms). */
  updatedAt: number
}

/** A page of the catalog, most recently seen first, and how many resources match in all. */
export interface DiscoveryPage {
  records: DiscoveryRecord[]
  total: number
}

/**
 * The discovery catalog (extensions/bazaar.md): resources seen paid through the facilitator, updated in
 * place by (resource, operation), never duplicated, shared by every instance on the same database.
 */
export interface DiscoveryCatalog {
  /** Adds the resource or refreshes it (description, tags, declaration, time) and its offer. */
  upsert(entry: DiscoveryCatalogEntry, options?: DiscoveryUpsertOptions): Promise<void>
  /** A page of resources with at least one offer matching the filters. */
  list(options: DiscoveryListOptions): Promise<DiscoveryPage>
  /** One resource by its URL, type and operation. */
  get(resource: string, type: 'http' | 'mcp', operation: string): Promise<DiscoveryRecord | undefined>
  /** Deletes offers not seen for `olderThanMs`, then resources left without offers; resolves how many. */
  prune(options: { olderThanMs: number }): Promise<number>
}
