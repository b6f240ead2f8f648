import type {
  VerificationEntry,
  VerificationRecord,
  VerificationResult,
  VerificationStage,
} from './verification-record.js'

/** Options of {@link VerificationLog.list}. */
export interface ListVerificationsOptions {
  paymentId?: string
  payer?: string
  result?: VerificationResult
  stage?: VerificationStage
  /** Page size, 1–1000 (default 50). */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string
}

/** A page of verifications, newest first. */
export interface VerificationPage {
  records: VerificationRecord[]
  /** Present when more records follow. */
  nextCursor?: string
}

/**
 * The verification history (append-only): every verify call, valid or refused, and every settle refused
 * before anything was sent, with its reason. It is separate from the settlement ledger, whose state
 * machine it never touches, so recording a refusal cannot block or undo a settlement.
 */
export interface VerificationLog {
  /** Appends one entry, stamped with the storage clock. */
  record(entry: VerificationEntry): Promise<VerificationRecord>
  /** Entries newest first, optionally of one payment, payer, result or stage (keyset pagination). */
  list(options?: ListVerificationsOptions): Promise<VerificationPage>
  /** The most recent refusal of a payment, if any (what `GET /settlements/:id` can show). */
  lastRefusal(paymentId: string): Promise<VerificationRecord | undefined>
  /** Deletes entries older than `olderThanMs` (retention); resolves to how many were deleted. */
  prune(options: { olderThanMs: number }): Promise<number>
}
