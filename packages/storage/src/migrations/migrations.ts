import { settlementsMigration } from './001-settlements.js'
import { keyValuesMigration } from './002-key-values.js'
import { verificationsMigration } from './003-verifications.js'
import { discoveryMigration } from './004-discovery.js'
import type { StorageMigration } from './storage-migration.js'

/** Every migration of the open402 schema, in version order. Append new ones; never edit an applied one. */
export const MIGRATIONS: readonly StorageMigration[] = [
  settlementsMigration,
  keyValuesMigration,
  verificationsMigration,
  discoveryMigration,
]
