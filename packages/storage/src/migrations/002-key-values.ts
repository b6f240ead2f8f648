import type { StorageMigration } from './storage-migration.js'

/** Namespaced key-value entries with an optional expiry (idempotency keys, entitlements). */
export const keyValuesMigration: StorageMigration = {
  version: 2,
  name: 'key_values',
  statements: (db) => [
    db.schema
      .createTable('key_values')
      .addColumn('namespace', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('key_values_pkey', ['namespace', 'key']),
    db.schema.createIndex('key_values_expires_at').on('key_values').columns(['expires_at']),
  ],
}
