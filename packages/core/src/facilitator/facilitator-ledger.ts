import type { SettleResponse } from '../schemas/facilitator.js'
import type { BroadcastIntent } from '../schemes/types.js'

/** The extension key under which a ledger-backed facilitator names the payment id in its settle answers. */
export const SETTLEMENT_EXTENSION = 'open402-settlement'

/** What a ledger records about a payment besides its id (from the requirements and the verified payer). */
export interface SettlementLedgerDetails {
  scheme: string
  network: string
  asset: string
  amount: string
  payTo: string
  payer?: string
}

/** A claim on one payment, returned by {@link FacilitatorLedger.begin} and presented to later calls. */
export interface SettlementTicket {
  readonly id: string
  /** The claim's holder, for ledgers that fence transitions by owner. */
  readonly owner?: string
}

/** Where a payment stands in a ledger (DESIGN §4). */
export type LedgerState = 'verified' | 'claimed' | 'sending' | 'submitted' | 'confirmed' | 'failed'

/** What a ledger knows about a payment someone else claimed. */
export interface LedgerEntry {
  id: string
  state: LedgerState
  transaction?: string
  /** The answer given for this payment, returned again to retries. */
  response?: SettleResponse
}

/** The outcome of {@link FacilitatorLedger.begin}: the claim, or the payment as it stands. */
export type LedgerBegin = { claimed: true; ticket: SettlementTicket } | { claimed: false; entry: LedgerEntry }

/**
 * Why a payment was refused with nothing sent, as a ledger records it: by `verify`, or by `settle` before
 * anything reached the chain (its re-verify failed, the request did not match the requirements, the
 * scheme refused it).
 */
export interface LedgerRefusal {
  stage: 'verify' | 'settle'
  /** A reason code (packages/core/src/errors/reasons.ts or a scheme's own). */
  reason: string
  message?: string
}

/** A payment whose transaction was recorded (and maybe sent) but whose outcome was not. */
export interface UnfinishedSettlement {
  id: string
  scheme: string
  network: string
  transaction: string
  raw?: string
  payer?: string
}

/**
 * The settlement ledger as `createFacilitator` uses it: one claim per payment id, decided by the store
 * (a database constraint for `@open402/storage`), the transaction recorded before its broadcast, and the
 * answer recorded after. Every method may reject when the store is unreachable; the facilitator then
 * refuses to settle (`ledger_unavailable`) rather than settle without a record.
 */
export interface FacilitatorLedger {
  /** Records a payment that verify found valid. */
  recordVerified?(id: string, details: SettlementLedgerDetails): Promise<void>
  /**
   * Records a refusal (verify found the payment invalid, or a settle refused it before sending anything).
   * A refusal is history only: it never blocks a later settlement of the payment nor changes its state.
   */
  recordRefused?(id: string, details: SettlementLedgerDetails, refusal: LedgerRefusal): Promise<void>
  /** Claims the payment for this settle call, or returns it as it stands (being settled, settled, failed). */
  begin(id: string, details: SettlementLedgerDetails): Promise<LedgerBegin>
  /** Records the signed transaction before it is broadcast; false means: do not broadcast. */
  sending(ticket: SettlementTicket, transaction: BroadcastIntent): Promise<boolean>
  /** Records the answer; `sent` says whether a transaction may have reached the chain. */
  finish(ticket: SettlementTicket, response: SettleResponse, outcome: { sent: boolean }): Promise<void>
  /** Payments sent but not finished, for {@link Facilitator.reconcile}. */
  unfinished?(options?: { olderThanMs?: number }): Promise<UnfinishedSettlement[]>
  /** Finishes an unfinished payment with what the chain says (confirmed when `response.success`). */
  complete?(id: string, response: SettleResponse): Promise<boolean>
}
