import type { PaymentRequirements, SettleResponse } from '@open402/core'
import type { Selectable } from 'kysely'
import type { SettlementsTable } from '../database-schema.js'

/**
 * Where a payment is in its settlement (DESIGN §4):
 * - `verified`: seen by verify, nobody is settling it;
 * - `claimed`: one settler holds it (`claimedBy`, until `leaseUntil`) and has sent nothing yet;
 * - `sending`: the signed transaction is recorded and may have been broadcast (a crash here is reconciled
 *   by looking the transaction up);
 * - `submitted`: broadcast, outcome not known yet (a pending answer);
 * - `confirmed`: settled on chain, final;
 * - `failed`: final when `sent`, otherwise (nothing reached the chain) the payment may be claimed again.
 */
export type SettlementState = 'verified' | 'claimed' | 'sending' | 'submitted' | 'confirmed' | 'failed'

/** Every settlement state, in lifecycle order. */
export const SETTLEMENT_STATES: readonly SettlementState[] = [
  'verified',
  'claimed',
  'sending',
  'submitted',
  'confirmed',
  'failed',
]

/** What the ledger knows about a payment besides its id and state. */
export interface SettlementDetails {
  scheme: string
  network: string
  asset: string
  amount: string
  payTo: string
  payer?: string
}

/** One payment in the ledger. Details are null when the payment was claimed without them. */
export interface SettlementRecord {
  /** The payment id: hex SHA-256 of the canonical payload (`paymentId` in @open402/core). */
  id: string
  scheme: string | null
  network: string | null
  asset: string | null
  amount: string | null
  payer: string | null
  payTo: string | null
  state: SettlementState
  /** Transaction hash or signature, once known. */
  transaction: string | null
  /**
   * The signed transaction as sent (hex or base64), when recorded: a reconciler that does not find
   * `transaction` on chain can broadcast exactly these bytes again (same hash, so never a second payment).
   */
  rawTransaction: string | null
  /** The facilitator account that signed the transaction. */
  signer: string | null
  /** The signer's nonce (EVM) or another scheme-specific sequence, when the scheme records one. */
  nonce: string | null
  /** Whether a transaction may have reached the chain; a failure with `sent` false can be retried. */
  sent: boolean
  /** Reason code of a failure (packages/core/src/errors/reasons.ts). */
  reason: string | null
  message: string | null
  /** The answer given for this payment, returned again to retries. */
  response: SettleResponse | null
  claimedBy: string | null
  leaseUntil: number | null
  /** How many times the payment was claimed. */
  attempts: number
  createdAt: number
  updatedAt: number
}

/** The details of a payment from its requirements and the payer that verify recovered. */
export function settlementDetailsOf(requirements: PaymentRequirements, payer?: string): SettlementDetails {
  return {
    scheme: requirements.scheme,
    network: requirements.network,
    asset: requirements.asset,
    amount: requirements.amount,
    payTo: requirements.payTo,
    ...(payer === undefined ? {} : { payer }),
  }
}

const optionalNumber = (value: number | string | null): number | null =>
  value === null ? null : Number(value)

/** Maps a `settlements` row (snake case, text JSON, PostgreSQL bigints as strings) to a record. */
export function toSettlementRecord(row: Selectable<SettlementsTable>): SettlementRecord {
  return {
    id: row.id,
    scheme: row.scheme,
    network: row.network,
    asset: row.asset,
    amount: row.amount,
    payer: row.payer,
    payTo: row.pay_to,
    state: row.state as SettlementState,
    transaction: row.transaction,
    rawTransaction: row.raw_transaction,
    signer: row.signer,
    nonce: row.nonce,
    sent: Number(row.sent) === 1,
    reason: row.reason,
    message: row.message,
    response: row.response === null ? null : (JSON.parse(row.response) as SettleResponse),
    claimedBy: row.claimed_by,
    leaseUntil: optionalNumber(row.lease_until),
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}
