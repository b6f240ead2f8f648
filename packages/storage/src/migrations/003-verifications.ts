import type { StorageMigration } from './storage-migration.js'

/**
 * The verification history: one row per verify call (valid or refused) and per settle refused before
 * anything was sent. A separate, append-only table rather than a `rejected` settlement state, so a refusal
 * can never block a later claim of the payment or move its settlement back.
 */
export const verificationsMigration: StorageMigration = {
  version: 3,
  name: 'verifications',
  statements: (db, engine) => [
    db.schema
      .createTable('verifications')
      .addColumn('seq', engine === 'sqlite' ? 'integer' : 'bigint', (column) =>
        engine === 'sqlite'
          ? column.primaryKey().autoIncrement()
          : column.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('payment_id', 'text', (column) => column.notNull())
      .addColumn('stage', 'text', (column) => column.notNull())
      .addColumn('result', 'text', (column) => column.notNull())
      .addColumn('reason', 'text')
      .addColumn('message', 'text')
      .addColumn('scheme', 'text')
      .addColumn('network', 'text')
      .addColumn('asset', 'text')
      .addColumn('amount', 'text')
      .addColumn('payer', 'text')
      .addColumn('pay_to', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull()),
    db.schema.createIndex('verifications_payment_id_seq').on('verifications').columns(['payment_id', 'seq']),
    db.schema.createIndex('verifications_payer_seq').on('verifications').columns(['payer', 'seq']),
    db.schema.createIndex('verifications_created_at').on('verifications').columns(['created_at']),
  ],
}
