import { isX402Error } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { MIGRATIONS } from './migrations.js'
import { migrationResult, planMigrations } from './plan-migrations.js'
import type { StorageMigration } from './storage-migration.js'

const migration = (version: number): StorageMigration => ({
  version,
  name: `m${version}`,
  statements: () => [],
})

describe('planMigrations', () => {
  test('returns the versions not applied yet, in ascending order', () => {
    const pending = planMigrations([migration(3), migration(1), migration(2)], [1])
    expect(pending.map((item) => item.version)).toEqual([2, 3])
    expect(migrationResult([1], pending)).toEqual({ applied: [2, 3], version: 3 })
    expect(migrationResult([1, 2, 3], [])).toEqual({ applied: [], version: 3 })
  })

  test('refuses a database migrated by a newer version', () => {
    let error: unknown
    try {
      planMigrations([migration(1)], [1, 7])
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('migration 7')
  })

  test.each([[[migration(1), migration(1)]], [[migration(0)]], [[migration(1.5)]]])(
    'refuses a repeated or invalid version (%#)',
    (list) => {
      expect(() => planMigrations(list, [])).toThrow(/invalid or repeated/)
    },
  )

  test('the shipped migrations are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((item) => item.version)).toEqual(MIGRATIONS.map((_, index) => index + 1))
  })
})
