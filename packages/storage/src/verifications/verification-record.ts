import type { Selectable } from 'kysely'
import type { VerificationsTable } from '../database-schema.js'
import type { SettlementDetails } from '../settlements/settlement-record.js'

/** Which call produced a verification: `verify`, or a `settle` refused before anything was sent. */
export type VerificationStage = 'verify' | 'settle'

/** Whether the payment was found valid or refused. */
export type VerificationResult = 'valid' | 'refused'

/** One entry of a payment's verification history. */
export interface VerificationRecord {
  /** Insertion order: a later entry has a larger `seq`. */
  seq: number
  /** The payment id (`paymentId` in @open402/core), as in the settlement ledger. */
  paymentId: string
  stage: VerificationStage
  result: VerificationResult
  /** Reason code of a refusal (packages/core/src/errors/reasons.ts or a scheme's own). */
  reason: string | null
  message: string | null
  scheme: string | null
  network: string | null
  asset: string | null
  amount: string | null
  payer: string | null
  payTo: string | null
  createdAt: number
}

/** What {@link VerificationLog.record} stores. */
export interface VerificationEntry {
  paymentId: string
  stage: VerificationStage
  result: VerificationResult
  reason?: string
  message?: string
  details?: Partial<SettlementDetails>
}

/** Maps a `verifications` row (PostgreSQL bigints as strings) to a record. */
export function toVerificationRecord(row: Selectable<VerificationsTable>): VerificationRecord {
  return {
    seq: Number(row.seq),
    paymentId: row.payment_id,
    stage: row.stage as VerificationStage,
    result: row.result as VerificationResult,
    reason: row.reason,
    message: row.message,
    scheme: row.scheme,
    network: row.network,
    asset: row.asset,
    amount: row.amount,
    payer: row.payer,
    payTo: row.pay_to,
    createdAt: Number(row.created_at),
  }
}
