import { X402Error } from '@open402/core'
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely'
import type { KeyValuesTable, StorageDatabase } from '../database-schema.js'
import type { KeyValueEntry, KeyValueStore, PutOptions } from './key-value-store.js'

function toEntry<TValue>(row: Selectable<KeyValuesTable>): KeyValueEntry<TValue> {
  return {
    key: row.key,
    value: JSON.parse(row.value) as TValue,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

/** On conflict, the new write replaces the stored entry entirely. */
function replaceEntry(eb: ExpressionBuilder<{ excluded: KeyValuesTable }, 'excluded'>) {
  return {
    value: eb.ref('excluded.value'),
    expires_at: eb.ref('excluded.expires_at'),
    created_at: eb.ref('excluded.created_at'),
    updated_at: eb.ref('excluded.updated_at'),
  }
}

function serialize(value: unknown): string {
  const text = JSON.stringify(value)
  if (text === undefined) throw new X402Error('invalid_config', 'key-value store values must be JSON values')
  return text
}

function expiry(time: number, options: PutOptions | undefined): number | null {
  if (options?.expiresAt !== undefined) {
    if (options.ttlMs !== undefined) {
      throw new X402Error('invalid_config', 'give ttlMs or expiresAt, not both')
    }
    if (!Number.isSafeInteger(options.expiresAt)) {
      throw new X402Error(
        'invalid_config',
        `expiresAt ${options.expiresAt} must be a whole number of epoch ms`,
      )
    }
    return options.expiresAt
  }
  if (options?.ttlMs === undefined) return null
  if (!(options.ttlMs > 0)) throw new X402Error('invalid_config', `ttlMs ${options.ttlMs} must be positive`)
  return time + options.ttlMs
}

/**
 * A {@link KeyValueStore} over the `key_values` table. `putIfAbsent` is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE <expired> RETURNING *`, atomic on both engines.
 */
export function createKeyValueStore<TValue = unknown>(
  db: Kysely<StorageDatabase>,
  namespace: string,
  now: () => number,
): KeyValueStore<TValue> {
  if (!namespace) throw new X402Error('invalid_config', 'key-value namespace is empty')

  async function get(key: string): Promise<KeyValueEntry<TValue> | undefined> {
    const row = await db
      .selectFrom('key_values')
      .selectAll()
      .where('namespace', '=', namespace)
      .where('key', '=', key)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now())]))
      .executeTakeFirst()
    return row && toEntry<TValue>(row)
  }

  function insert(key: string, value: TValue, options: PutOptions | undefined) {
    const time = now()
    return {
      time,
      query: db.insertInto('key_values').values({
        namespace,
        key,
        value: serialize(value),
        expires_at: expiry(time, options),
        created_at: time,
        updated_at: time,
      }),
    }
  }

  /** Inserts, or replaces an expired entry, in one statement; `undefined` when a live entry is there. */
  function insertIfAbsent(key: string, value: TValue, options: PutOptions | undefined) {
    const { query, time } = insert(key, value, options)
    return query
      .onConflict((conflict) =>
        conflict
          .columns(['namespace', 'key'])
          .doUpdateSet(replaceEntry)
          .where((eb) =>
            eb.and([eb('key_values.expires_at', 'is not', null), eb('key_values.expires_at', '<=', time)]),
          ),
      )
      .returningAll()
      .executeTakeFirst()
  }

  return {
    namespace,
    get,

    async put(key, value, options) {
      const { query } = insert(key, value, options)
      const row = await query
        .onConflict((conflict) => conflict.columns(['namespace', 'key']).doUpdateSet(replaceEntry))
        .returningAll()
        .executeTakeFirstOrThrow()
      return toEntry<TValue>(row)
    },

    async putIfAbsent(key, value, options) {
      for (let round = 0; round < 5; round++) {
        const row = await insertIfAbsent(key, value, options)
        if (row) return { stored: true, entry: toEntry<TValue>(row) }
        // The live entry may expire or be deleted between the two statements: then try again.
        const existing = await get(key)
        if (existing) return { stored: false, existing }
      }
      throw new X402Error('invalid_config', `putIfAbsent(${key}) kept racing with deletes; giving up`)
    },

    async compareAndSet(key, expected, value, options) {
      if (expected === undefined) return (await insertIfAbsent(key, value, options)) !== undefined
      const time = now()
      const result = await db
        .updateTable('key_values')
        .set({ value: serialize(value), expires_at: expiry(time, options), updated_at: time })
        .where('namespace', '=', namespace)
        .where('key', '=', key)
        .where('value', '=', serialize(expected))
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', time)]))
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },

    async delete(key) {
      const result = await db
        .deleteFrom('key_values')
        .where('namespace', '=', namespace)
        .where('key', '=', key)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },

    async deleteExpired() {
      const result = await db
        .deleteFrom('key_values')
        .where('namespace', '=', namespace)
        .where('expires_at', 'is not', null)
        .where('expires_at', '<=', now())
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
