import { X402Error } from '@open402/core'
import type { Kysely } from 'kysely'
import type { StorageDatabase } from '../database-schema.js'
import type { ListSettlementsOptions, SettlementPage } from './settlement-ledger.js'
import { type SettlementRecord, toSettlementRecord } from './settlement-record.js'

function pageSize(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new X402Error('invalid_config', `limit ${limit} must be an integer from 1 to 1000`)
  }
  return limit
}

function encodeCursor(record: SettlementRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString('base64url')
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return [value[0], value[1]]
    }
  } catch {}
  throw new X402Error('invalid_config', 'cursor is not one returned by list()')
}

/** A page of settlements, newest first, optionally of one state or payer (keyset pagination). */
export async function listSettlements(
  db: Kysely<StorageDatabase>,
  options: ListSettlementsOptions = {},
): Promise<SettlementPage> {
  const limit = pageSize(options.limit, 50)
  let query = db.selectFrom('settlements').selectAll()
  if (options.state !== undefined) query = query.where('state', '=', options.state)
  if (options.payer !== undefined) query = query.where('payer', '=', options.payer)
  if (options.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(options.cursor)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const records = rows.slice(0, limit).map(toSettlementRecord)
  const last = records[records.length - 1]
  return rows.length > limit && last ? { records, nextCursor: encodeCursor(last) } : { records }
}

/** `sending` and `submitted` settlements unchanged for at least `olderThanMs`, oldest first. */
export async function listUnfinishedSettlements(
  db: Kysely<StorageDatabase>,
  time: number,
  options: { olderThanMs?: number; limit?: number } = {},
): Promise<SettlementRecord[]> {
  const rows = await db
    .selectFrom('settlements')
    .selectAll()
    .where('state', 'in', ['sending', 'submitted'])
    .where('updated_at', '<=', time - (options.olderThanMs ?? 0))
    .orderBy('updated_at', 'asc')
    .orderBy('id', 'asc')
    .limit(pageSize(options.limit, 100))
    .execute()
  return rows.map(toSettlementRecord)
}
