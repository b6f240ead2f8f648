import { createHash } from 'node:crypto'
import { type DiscoveryCatalogEntry, type PaymentRequirements, X402Error } from '@open402/core'
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely'
import type { DiscoveryResourcesTable, StorageDatabase } from '../database-schema.js'
import type { DiscoveryCatalog, DiscoveryListOptions, DiscoveryRecord } from './discovery-catalog.js'

/** Digits of the zero-padded amounts: more than a uint256 (78 digits) has. */
const AMOUNT_DIGITS = 80

function padded(amount: bigint | string): string {
  const digits = amount.toString()
  if (digits.length > AMOUNT_DIGITS || !/^\d+$/.test(digits)) {
    throw new X402Error('invalid_config', `amount ${digits.slice(0, 20)}… cannot be cataloged`)
  }
  return digits.padStart(AMOUNT_DIGITS, '0')
}

/** Addresses are case-insensitive on EVM chains; elsewhere (base58 on Solana) case matters. */
function addressKey(network: string, address: string): string {
  return network.startsWith('eip155:') ? address.toLowerCase() : address
}

/** The catalog key of a resource: one id per (type, resource, operation). */
export function discoveryResourceId(type: string, resource: string, operation: string): string {
  return createHash('sha256')
    .update(JSON.stringify([type, resource, operation]))
    .digest('hex')
}

/** A LIKE pattern matching `term` anywhere, with `\` escaping the wildcards. */
function containing(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`
}

function pageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new X402Error('invalid_config', `limit ${limit} must be an integer from 1 to 1000`)
  }
  return limit
}

type ResourceRow = Selectable<DiscoveryResourcesTable>
type Builder = ExpressionBuilder<StorageDatabase & { r: DiscoveryResourcesTable }, 'r'>

function toRecord(row: ResourceRow, offers: PaymentRequirements[]): DiscoveryRecord {
  return {
    resource: row.resource,
    type: row.type as DiscoveryRecord['type'],
    operation: row.operation,
    x402Version: Number(row.x402_version),
    description: row.description,
    mimeType: row.mime_type,
    serviceName: row.service_name,
    tags: JSON.parse(row.tags) as string[],
    extension: JSON.parse(row.extension) as DiscoveryRecord['extension'],
    offers,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

/**
 * The {@link DiscoveryCatalog} on a Kysely database (SQLite or PostgreSQL, one code path). Each write is a
 * single `INSERT … ON CONFLICT DO UPDATE` (resource, then offer), so concurrent instances update one row
 * instead of adding a second; a resource whose offer write failed is not listed until an offer lands.
 */
export function createDiscoveryCatalog(db: Kysely<StorageDatabase>, now: () => number): DiscoveryCatalog {
  async function offersOf(ids: string[]): Promise<Map<string, PaymentRequirements[]>> {
    const byResource = new Map<string, PaymentRequirements[]>()
    if (ids.length === 0) return byResource
    const rows = await db
      .selectFrom('discovery_offers')
      .select(['resource_id', 'requirements'])
      .where('resource_id', 'in', ids)
      .orderBy('resource_id')
      .orderBy('amount_key')
      .orderBy('network')
      .orderBy('asset_key')
      .execute()
    for (const row of rows) {
      const list = byResource.get(row.resource_id) ?? []
      list.push(JSON.parse(row.requirements) as PaymentRequirements)
      byResource.set(row.resource_id, list)
    }
    return byResource
  }

  /** The listing conditions: the resource filters, and one offer matching every offer filter. */
  function matching(options: DiscoveryListOptions) {
    return (eb: Builder) => {
      const conditions = []
      if (options.type !== undefined) conditions.push(eb('r.type', '=', options.type))
      for (const term of options.terms ?? []) {
        conditions.push(sql<boolean>`${eb.ref('r.search_text')} like ${containing(term)} escape '\\'`)
      }
      let offers = eb
        .selectFrom('discovery_offers as o')
        .select(sql.lit(1).as('one'))
        .whereRef('o.resource_id', '=', 'r.id')
      if (options.network !== undefined) offers = offers.where('o.network', '=', options.network)
      if (options.scheme !== undefined) offers = offers.where('o.scheme', '=', options.scheme)
      if (options.asset !== undefined) {
        offers = offers.where('o.asset_key', 'in', [...new Set([options.asset, options.asset.toLowerCase()])])
      }
      const maxAmount = options.maxAmount
      if (maxAmount !== undefined && maxAmount.toString().length <= AMOUNT_DIGITS) {
        offers = offers.where('o.amount_key', '<=', padded(maxAmount))
      }
      const maxUsd = options.maxUsd
      if (maxUsd !== undefined) {
        offers = offers.where('o.usd_key', 'is not', null)
        if (maxUsd.toString().length <= AMOUNT_DIGITS)
          offers = offers.where('o.usd_key', '<=', padded(maxUsd))
      }
      conditions.push(eb.exists(offers))
      return eb.and(conditions)
    }
  }

  return {
    async upsert(entry: DiscoveryCatalogEntry, options = {}) {
      const at = now()
      const id = discoveryResourceId(entry.type, entry.resource, entry.operation)
      const searchText = [
        entry.description,
        ...entry.tags,
        entry.serviceName,
        entry.resource,
        entry.operation,
      ]
        .filter((part) => part !== undefined)
        .join(' ')
        .toLowerCase()
      const resource = {
        description: entry.description ?? null,
        mime_type: entry.mimeType ?? null,
        service_name: entry.serviceName ?? null,
        tags: JSON.stringify(entry.tags),
        search_text: searchText,
        extension: JSON.stringify(entry.extension),
        x402_version: entry.x402Version,
        updated_at: at,
      }
      await db
        .insertInto('discovery_resources')
        .values({
          id,
          resource: entry.resource,
          type: entry.type,
          operation: entry.operation,
          created_at: at,
          ...resource,
        })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(resource))
        .execute()
      const { offer } = entry
      const priced = {
        amount_key: padded(offer.amount),
        usd_key: options.usdAmount === undefined ? null : padded(options.usdAmount),
        requirements: JSON.stringify(offer),
        updated_at: at,
      }
      await db
        .insertInto('discovery_offers')
        .values({
          resource_id: id,
          scheme: offer.scheme,
          network: offer.network,
          asset_key: addressKey(offer.network, offer.asset),
          pay_to_key: addressKey(offer.network, offer.payTo),
          ...priced,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['resource_id', 'scheme', 'network', 'asset_key', 'pay_to_key'])
            .doUpdateSet(priced),
        )
        .execute()
    },

    async list(options) {
      const limit = pageSize(options.limit)
      if (!Number.isInteger(options.offset) || options.offset < 0) {
        throw new X402Error('invalid_config', `offset ${options.offset} must be a non-negative integer`)
      }
      const where = matching(options)
      const [counted, rows] = await Promise.all([
        db
          .selectFrom('discovery_resources as r')
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .where(where)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('discovery_resources as r')
          .selectAll('r')
          .where(where)
          .orderBy('r.updated_at', 'desc')
          .orderBy('r.id')
          .limit(limit)
          .offset(options.offset)
          .execute(),
      ])
      const offers = await offersOf(rows.map((row) => row.id))
      return {
        records: rows.map((row) => toRecord(row, offers.get(row.id) ?? [])),
        total: Number(counted.total),
      }
    },

    async get(resource, type, operation) {
      const id = discoveryResourceId(type, resource, operation)
      const row = await db
        .selectFrom('discovery_resources')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      if (!row) return undefined
      return toRecord(row, (await offersOf([id])).get(id) ?? [])
    },

    async prune({ olderThanMs }) {
      const cutoff = now() - olderThanMs
      await db.deleteFrom('discovery_offers').where('updated_at', '<', cutoff).execute()
      const deleted = await db
        .deleteFrom('discovery_resources as r')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('discovery_offers as o')
                .select(sql.lit(1).as('one'))
                .whereRef('o.resource_id', '=', 'r.id'),
            ),
          ),
        )
        .executeTakeFirst()
      return Number(deleted.numDeletedRows)
    },
  }
}
