import type { SettleResponse } from '@open402/core'
import type { SettlementDetails, SettlementRecord, SettlementState } from './settlement-record.js'

/** Who claims a payment and for how long the claim holds if the claimer goes silent. */
export interface ClaimOptions {
  /** Unique per settle attempt (for example `instanceId:requestId`); later transitions must present it. */
  owner: string
  /** After this many milliseconds a claim on which nothing was sent may be taken over. */
  leaseMs: number
}

/** The outcome of {@link SettlementLedger.claimForSettlement}. */
export type ClaimResult =
  | { claimed: true; record: SettlementRecord }
  | { claimed: false; existing: SettlementRecord }

/** Options of {@link SettlementLedger.list}. */
export interface ListSettlementsOptions {
  state?: SettlementState
  payer?: string
  /** Page size, 1–1000 (default 50). */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string
}

/** A page of settlements, newest first. */
export interface SettlementPage {
  records: SettlementRecord[]
  /** Present when more records follow. */
  nextCursor?: string
}

/**
 * The settlement ledger (DESIGN §4): one row per payment id whose state only moves forward. Every state
 * change is one conditional SQL statement, so the database decides races: of any number of concurrent
 * claims, on any number of instances sharing the database, exactly one wins. A transition that is not
 * allowed (wrong state, or the claim was taken over) changes nothing and resolves to `undefined`.
 */
export interface SettlementLedger {
  /** Records a verified payment; a payment already further along keeps its state (details fill gaps only). */
  recordVerified(id: string, details: SettlementDetails): Promise<SettlementRecord>
  /**
   * The exactly-once primitive: moves the payment to `claimed` for `owner` if it is new, `verified`, failed
   * before anything was sent, or claimed by someone whose lease expired before sending; otherwise returns
   * the existing record (whose `response`, when set, is the answer to give a retry).
   */
  claimForSettlement(
    id: string,
    details: SettlementDetails | undefined,
    options: ClaimOptions,
  ): Promise<ClaimResult>
  /**
   * Records the signed transaction before it is broadcast (`claimed` → `sending`). Broadcast only when this
   * returns a record: `undefined` means the claim was lost. A crash after this point is recoverable by
   * looking the transaction up. The owner may call it again while `sending` to record a re-signed
   * replacement of a transaction the node refused.
   */
  markSending(
    id: string,
    sending: { owner: string; transaction: string; rawTransaction?: string; signer?: string; nonce?: string },
  ): Promise<SettlementRecord | undefined>
  /**
   * The transaction was broadcast and its outcome is not known yet (`claimed`/`sending` → `submitted`).
   * Like `markConfirmed` and `markFailed`, a `payer` given fills the record's payer when it is unknown.
   */
  markSubmitted(
    id: string,
    submitted: { owner?: string; transaction: string; response?: SettleResponse; payer?: string },
  ): Promise<SettlementRecord | undefined>
  /** Settled on chain (from `claimed`, `sending` or `submitted`); `response` is returned to retries. */
  markConfirmed(
    id: string,
    confirmed: { owner?: string; transaction?: string; response?: SettleResponse; payer?: string },
  ): Promise<SettlementRecord | undefined>
  /**
   * Failed (from `claimed`, `sending` or `submitted`). With `sent: false` (nothing reached the chain) the
   * payment may be claimed again; with `sent: true`, or from `submitted`, the failure is final.
   */
  markFailed(
    id: string,
    failed: {
      owner?: string
      reason: string
      message?: string
      sent: boolean
      response?: SettleResponse
      payer?: string
    },
  ): Promise<SettlementRecord | undefined>
  /** Gives a claim back without sending anything (`claimed` → `verified`); false if not held by `owner`. */
  releaseClaim(id: string, release: { owner: string }): Promise<boolean>
  get(id: string): Promise<SettlementRecord | undefined>
  /** `sending` and `submitted` payments last changed at least `olderThanMs` ago, oldest first (for the reconciler). */
  listUnfinished(options?: { olderThanMs?: number; limit?: number }): Promise<SettlementRecord[]>
  list(options?: ListSettlementsOptions): Promise<SettlementPage>
}
