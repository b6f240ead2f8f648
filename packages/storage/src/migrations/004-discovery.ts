import type { StorageMigration } from './storage-migration.js'

/**
 * The discovery catalog (extensions/bazaar.md): one row per resource, keyed by a hash of (type, URL,
 * method or MCP tool), and one row per offer of it, keyed by (scheme, network, asset, payTo), so that a
 * resource paid on several networks lists each way to pay it once. Amounts are kept as zero-padded decimal
 * strings, which compare like the integers they are on both engines.
 */
export const discoveryMigration: StorageMigration = {
  version: 4,
  name: 'discovery',
  statements: (db) => [
    db.schema
      .createTable('discovery_resources')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('resource', 'text', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('operation', 'text', (column) => column.notNull())
      .addColumn('x402_version', 'integer', (column) => column.notNull())
      .addColumn('description', 'text')
      .addColumn('mime_type', 'text')
      .addColumn('service_name', 'text')
      .addColumn('tags', 'text', (column) => column.notNull())
      .addColumn('search_text', 'text', (column) => column.notNull())
      .addColumn('extension', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull()),
    db.schema
      .createIndex('discovery_resources_updated_at')
      .on('discovery_resources')
      .columns(['updated_at', 'id']),
    db.schema
      .createIndex('discovery_resources_type_updated_at')
      .on('discovery_resources')
      .columns(['type', 'updated_at']),
    db.schema
      .createTable('discovery_offers')
      .addColumn('resource_id', 'text', (column) => column.notNull())
      .addColumn('scheme', 'text', (column) => column.notNull())
      .addColumn('network', 'text', (column) => column.notNull())
      .addColumn('asset_key', 'text', (column) => column.notNull())
      .addColumn('pay_to_key', 'text', (column) => column.notNull())
      .addColumn('amount_key', 'text', (column) => column.notNull())
      .addColumn('usd_key', 'text')
      .addColumn('requirements', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('discovery_offers_pkey', [
        'resource_id',
        'scheme',
        'network',
        'asset_key',
        'pay_to_key',
      ]),
    db.schema.createIndex('discovery_offers_network').on('discovery_offers').columns(['network', 'scheme']),
    db.schema.createIndex('discovery_offers_asset').on('discovery_offers').columns(['asset_key']),
    db.schema.createIndex('discovery_offers_updated_at').on('discovery_offers').columns(['updated_at']),
  ],
}
