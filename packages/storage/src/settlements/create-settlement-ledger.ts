import { type ExpressionBuilder, type Kysely, sql, type UpdateObject } from 'kysely'
import type { SettlementsTable, StorageDatabase } from '../database-schema.js'
import { listSettlements, listUnfinishedSettlements } from './list-settlements.js'
import type { ClaimResult, SettlementLedger } from './settlement-ledger.js'
import {
  type SettlementDetails,
  type SettlementRecord,
  type SettlementState,
  toSettlementRecord,
} from './settlement-record.js'

const IN_FLIGHT: SettlementState[] = ['claimed', 'sending', 'submitted']

/** Columns of the payment's details for an insert (null where unknown). */
function detailColumns(details: SettlementDetails | undefined) {
  return {
    scheme: details?.scheme ?? null,
    network: details?.network ?? null,
    asset: details?.asset ?? null,
    amount: details?.amount ?? null,
    payer: details?.payer ?? null,
    pay_to: details?.payTo ?? null,
  }
}

type ConflictBuilder = ExpressionBuilder<
  { settlements: SettlementsTable; excluded: SettlementsTable },
  'settlements' | 'excluded'
>

/** On conflict, keeps the stored details and fills only the ones still unknown. */
function fillDetails(eb: ConflictBuilder) {
  const fill = (column: 'scheme' | 'network' | 'asset' | 'amount' | 'payer' | 'pay_to') =>
    eb.fn.coalesce(`settlements.${column}`, `excluded.${column}`)
  return {
    scheme: fill('scheme'),
    network: fill('network'),
    asset: fill('asset'),
    amount: fill('amount'),
    payer: fill('payer'),
    pay_to: fill('pay_to'),
  }
}

/** Fills the payer column when it is unknown (a claim made without the payer verify recovered). */
function fillPayer(payer: string | undefined) {
  return payer === undefined ? {} : { payer: sql<string>`coalesce(${sql.ref('payer')}, ${payer})` }
}

/** Whether a claim on `record` at `time` would succeed (mirrors the claim statement's condition). */
function isClaimable(record: SettlementRecord, time: number): boolean {
  if (record.state === 'verified') return true
  if (record.state === 'failed') return !record.sent
  return record.state === 'claimed' && record.leaseUntil !== null && record.leaseUntil < time
}

/**
 * The {@link SettlementLedger} on a Kysely database (SQLite or PostgreSQL, one code path). Claims are one
 * `INSERT … ON CONFLICT (id) DO UPDATE … WHERE <claimable> RETURNING *`: both engines run it atomically
 * (PostgreSQL locks the conflicting row and re-checks the condition on its latest version; SQLite runs the
 * statement under its single-writer lock), so at most one caller gets a row back.
 */
export function createSettlementLedger(db: Kysely<StorageDatabase>, now: () => number): SettlementLedger {
  async function get(id: string): Promise<SettlementRecord | undefined> {
    const row = await db.selectFrom('settlements').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toSettlementRecord(row)
  }

  async function transition(
    id: string,
    from: SettlementState[],
    owner: string | undefined,
    set: UpdateObject<StorageDatabase, 'settlements'>,
  ): Promise<SettlementRecord | undefined> {
    let query = db
      .updateTable('settlements')
      .set({ ...set, updated_at: now() })
      .where('id', '=', id)
      .where('state', 'in', from)
    if (owner !== undefined) query = query.where('claimed_by', '=', owner)
    const row = await query.returningAll().executeTakeFirst()
    return row && toSettlementRecord(row)
  }

  async function tryClaim(
    id: string,
    details: SettlementDetails | undefined,
    owner: string,
    leaseMs: number,
  ): Promise<SettlementRecord | undefined> {
    const time = now()
    const row = await db
      .insertInto('settlements')
      .values({
        id,
        ...detailColumns(details),
        state: 'claimed',
        sent: 0,
        claimed_by: owner,
        lease_until: time + leaseMs,
        attempts: 1,
        created_at: time,
        updated_at: time,
      })
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet((eb) => ({
            ...fillDetails(eb),
            state: 'claimed',
            sent: 0,
            transaction: null,
            raw_transaction: null,
            signer: null,
            nonce: null,
            reason: null,
            message: null,
            response: null,
            claimed_by: eb.ref('excluded.claimed_by'),
            lease_until: eb.ref('excluded.lease_until'),
            attempts: eb('settlements.attempts', '+', 1),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('settlements.state', '=', 'verified'),
              eb.and([eb('settlements.state', '=', 'failed'), eb('settlements.sent', '=', 0)]),
              eb.and([eb('settlements.state', '=', 'claimed'), eb('settlements.lease_until', '<', time)]),
            ]),
          ),
      )
      .returningAll()
      .executeTakeFirst()
    return row && toSettlementRecord(row)
  }

  return {
    async recordVerified(id, details) {
      const time = now()
      const row = await db
        .insertInto('settlements')
        .values({
          id,
          ...detailColumns(details),
          state: 'verified',
          sent: 0,
          attempts: 0,
          created_at: time,
          updated_at: time,
        })
        .onConflict((conflict) => conflict.column('id').doUpdateSet((eb) => fillDetails(eb)))
        .returningAll()
        .executeTakeFirstOrThrow()
      return toSettlementRecord(row)
    },

    async claimForSettlement(id, details, { owner, leaseMs }): Promise<ClaimResult> {
      // A losing claim reads the row afterwards; if it became claimable in between (released, or failed
      // before sending), try again rather than report a settlement that is no longer in progress.
      let existing: SettlementRecord | undefined
      for (let round = 0; round < 5; round++) {
        const record = await tryClaim(id, details, owner, leaseMs)
        if (record) return { claimed: true, record }
        existing = await get(id)
        if (existing && !isClaimable(existing, now())) break
      }
      if (!existing) throw new Error(`settlement ${id} was neither claimable nor found`)
      return { claimed: false, existing }
    },

    markSending(id, { owner, transaction, rawTransaction, signer, nonce }) {
      // From `sending` too: the same owner re-signed a transaction the node refused (a replacement).
      return transition(id, ['claimed', 'sending'], owner, {
        state: 'sending',
        sent: 1,
        transaction,
        raw_transaction: rawTransaction ?? null,
        signer: signer ?? null,
        nonce: nonce ?? null,
      })
    },

    markSubmitted(id, { owner, transaction, response, payer }) {
      return transition(id, ['claimed', 'sending'], owner, {
        ...fillPayer(payer),
        state: 'submitted',
        sent: 1,
        transaction,
        ...(response === undefined ? {} : { response: JSON.stringify(response) }),
      })
    },

    markConfirmed(id, { owner, transaction, response, payer }) {
      return transition(id, IN_FLIGHT, owner, {
        ...fillPayer(payer),
        state: 'confirmed',
        sent: 1,
        ...(transaction === undefined ? {} : { transaction }),
        ...(response === undefined ? {} : { response: JSON.stringify(response) }),
        lease_until: null,
      })
    },

    markFailed(id, { owner, reason, message, sent, response, payer }) {
      return transition(id, IN_FLIGHT, owner, {
        ...fillPayer(payer),
        state: 'failed',
        // A submitted transaction reached the chain whatever the caller says: that failure stays final.
        sent: sql<number>`case when ${sql.ref('state')} = 'submitted' then 1 else ${sent ? 1 : 0} end`,
        reason,
        message: message ?? null,
        response: response === undefined ? null : JSON.stringify(response),
        lease_until: null,
      })
    },

    async releaseClaim(id, { owner }) {
      const record = await transition(id, ['claimed'], owner, {
        state: 'verified',
        claimed_by: null,
        lease_until: null,
      })
      return record !== undefined
    },

    get,
    listUnfinished: (options) => listUnfinishedSettlements(db, now(), options),
    list: (options) => listSettlements(db, options),
  }
}
