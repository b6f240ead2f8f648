import type { StorageMigration } from './storage-migration.js'

/** The settlement ledger: one row per payment id (DESIGN §4). */
export const settlementsMigration: StorageMigration = {
  version: 1,
  name: 'settlements',
  statements: (db) => [
    db.schema
      .createTable('settlements')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('scheme', 'text')
      .addColumn('network', 'text')
      .addColumn('asset', 'text')
      .addColumn('amount', 'text')
      .addColumn('payer', 'text')
      .addColumn('pay_to', 'text')
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('transaction', 'text')
      .addColumn('raw_transaction', 'text')
      .addColumn('signer', 'text')
      .addColumn('nonce', 'text')
      .addColumn('sent', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('reason', 'text')
      .addColumn('message', 'text')
      .addColumn('response', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull()),
    db.schema.createIndex('settlements_state_updated_at').on('settlements').columns(['state', 'updated_at']),
    db.schema.createIndex('settlements_payer_created_at').on('settlements').columns(['payer', 'created_at']),
    db.schema.createIndex('settlements_created_at').on('settlements').columns(['created_at', 'id']),
  ],
}
