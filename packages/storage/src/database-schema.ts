import type { Generated } from 'kysely'

/**
 * The tables of the open402 database as Kysely sees them. Times are epoch milliseconds (PostgreSQL `bigint`,
 * which `pg` returns as a string, so readers convert with `Number`); JSON documents are stored as text so
 * both engines read them the same way; flags are integers 0/1 because SQLite has no boolean type.
 */
export interface StorageDatabase {
  open402_migrations: MigrationsTable
  settlements: SettlementsTable
  key_values: KeyValuesTable
  verifications: VerificationsTable
  discovery_resources: DiscoveryResourcesTable
  discovery_offers: DiscoveryOffersTable
}

/** One applied migration. */
export interface MigrationsTable {
  version: number
  name: string
  applied_at: number | string
}

/** One payment in the settlement ledger, keyed by its payment id. */
export interface SettlementsTable {
  id: string
  scheme: string | null
  network: string | null
  asset: string | null
  amount: string | null
  payer: string | null
  pay_to: string | null
  state: string
  transaction: string | null
  raw_transaction: string | null
  signer: string | null
  nonce: string | null
  sent: number
  reason: string | null
  message: string | null
  response: string | null
  claimed_by: string | null
  lease_until: number | string | null
  attempts: number
  created_at: number | string
  updated_at: number | string
}

/** One entry of a namespaced key-value store with an optional expiry. */
export interface KeyValuesTable {
  namespace: string
  key: string
  value: string
  expires_at: number | string | null
  created_at: number | string
  updated_at: number | string
}

/** One verify call, or one settle refused before anything was sent: the audit history of a payment. */
export interface VerificationsTable {
  /** Ascending insertion order (SQLite `integer primary key autoincrement`, PostgreSQL identity). */
  seq: Generated<number | string>
  payment_id: string
  stage: string
  result: string
  reason: string | null
  message: string | null
  scheme: string | null
  network: string | null
  asset: string | null
  amount: string | null
  payer: string | null
  pay_to: string | null
  created_at: number | string
}

/** One resource of the discovery catalog, keyed by a hash of (type, resource, operation). */
export interface DiscoveryResourcesTable {
  id: string
  resource: string
  /** `http` or `mcp`. */
  type: string
  /** The HTTP method or the MCP tool name. */
  operation: string
  x402_version: number
  description: string | null
  mime_type: string | null
  service_name: string | null
  /** JSON array of strings. */
  tags: string
  /** Lower-cased description, tags, service name, resource and operation, for `q`. */
  search_text: string
  /** JSON of the validated `extensions.bazaar` declaration. */
  extension: string
  created_at: number | string
  updated_at: number | string
}

/** One offer (way to pay) of a cataloged resource. */
export interface DiscoveryOffersTable {
  resource_id: string
  scheme: string
  network: string
  /** The asset, lower-cased on `eip155:*` networks (addresses are case-insensitive there). */
  asset_key: string
  pay_to_key: string
  /** The amount in atomic units, zero-padded to 80 digits so that text order is numeric order. */
  amount_key: string
  /** The price in dollars scaled by 10^18, zero-padded to 80 digits, when the asset is a known stablecoin. */
  usd_key: string | null
  /** JSON of the PaymentRequirements. */
  requirements: string
  updated_at: number | string
}
