import { X402Error } from '@open402/core'
import type { Kysely } from 'kysely'
import type { StorageDatabase } from '../database-schema.js'
import type { VerificationLog } from './verification-log.js'
import { toVerificationRecord } from './verification-record.js'

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return 50
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new X402Error('invalid_config', `limit ${limit} must be an integer from 1 to 1000`)
  }
  return limit
}

function decodeCursor(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new X402Error('invalid_config', 'cursor is not one returned by list()')
  }
  return seq
}

/** The {@link VerificationLog} on a Kysely database (SQLite or PostgreSQL, one code path). */
export function createVerificationLog(db: Kysely<StorageDatabase>, now: () => number): VerificationLog {
  const log: VerificationLog = {
    async record({ paymentId, stage, result, reason, message, details }) {
      const row = await db
        .insertInto('verifications')
        .values({
          payment_id: paymentId,
          stage,
          result,
          reason: reason ?? null,
          message: message ?? null,
          scheme: details?.scheme ?? null,
          network: details?.network ?? null,
          asset: details?.asset ?? null,
          amount: details?.amount ?? null,
          payer: details?.payer ?? null,
          pay_to: details?.payTo ?? null,
          created_at: now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toVerificationRecord(row)
    },

    async list(options = {}) {
      const limit = pageSize(options.limit)
      let query = db.selectFrom('verifications').selectAll()
      if (options.paymentId !== undefined) query = query.where('payment_id', '=', options.paymentId)
      if (options.payer !== undefined) query = query.where('payer', '=', options.payer)
      if (options.result !== undefined) query = query.where('result', '=', options.result)
      if (options.stage !== undefined) query = query.where('stage', '=', options.stage)
      if (options.cursor !== undefined) query = query.where('seq', '<', decodeCursor(options.cursor))
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute()
      const records = rows.slice(0, limit).map(toVerificationRecord)
      const last = records[records.length - 1]
      return rows.length > limit && last
        ? { records, nextCursor: Buffer.from(String(last.seq)).toString('base64url') }
        : { records }
    },

    async lastRefusal(paymentId) {
      const page = await log.list({ paymentId, result: 'refused', limit: 1 })
      return page.records[0]
    },

    async prune({ olderThanMs }) {
      const result = await db
        .deleteFrom('verifications')
        .where('created_at', '<', now() - olderThanMs)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
  return log
}
