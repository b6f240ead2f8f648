import type { ErrorReason } from '../errors/reasons.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { SchemeFacilitator, SettleContext } from '../schemes/types.js'
import {
  type FacilitatorLedger,
  type LedgerEntry,
  type LedgerRefusal,
  SETTLEMENT_EXTENSION,
  type SettlementLedgerDetails,
} from './facilitator-ledger.js'

/** Reason given when the ledger cannot be reached: nothing is settled without a record. */
export const LEDGER_UNAVAILABLE = 'ledger_unavailable' satisfies ErrorReason

/** The details a ledger records, from the requirements. */
export function ledgerDetailsOf(requirements: PaymentRequirements, payer?: string): SettlementLedgerDetails {
  return {
    scheme: requirements.scheme,
    network: requirements.network,
    asset: requirements.asset,
    amount: requirements.amount,
    payTo: requirements.payTo,
    ...(payer === undefined ? {} : { payer }),
  }
}

/** Adds the payment id under {@link SETTLEMENT_EXTENSION} (when `id` is given). */
export function withSettlementId(response: SettleResponse, id: string | undefined): SettleResponse {
  if (id === undefined) return response
  return { ...response, extensions: { ...response.extensions, [SETTLEMENT_EXTENSION]: { id } } }
}

/** A settle failure carrying no transaction. */
export function settleRefusal(
  requirements: PaymentRequirements,
  reason: string,
  message: string,
  payer?: string,
): SettleResponse {
  return {
    success: false,
    errorReason: reason,
    errorMessage: message,
    transaction: '',
    network: requirements.network,
    ...(payer === undefined ? {} : { payer }),
  }
}

/** The refusal a failed settle answer describes. */
export function settleRefusalOf(answer: SettleResponse): LedgerRefusal {
  return {
    stage: 'settle',
    reason: answer.errorReason ?? 'unexpected_settle_error',
    ...(answer.errorMessage === undefined ? {} : { message: answer.errorMessage }),
  }
}

/** The answer to a settle of a payment someone else claimed: its recorded answer, pending, or a duplicate. */
export function answerRetry(entry: LedgerEntry, requirements: PaymentRequirements): SettleResponse {
  if (entry.response && (entry.state === 'confirmed' || entry.state === 'failed')) return entry.response
  if (entry.state === 'sending' || entry.state === 'submitted') {
    return {
      success: false,
      errorReason: 'settlement_pending',
      errorMessage: `this payment is being settled in transaction ${entry.transaction ?? '(unknown)'}; poll its state`,
      transaction: entry.transaction ?? '',
      network: requirements.network,
      ...(entry.response?.payer === undefined ? {} : { payer: entry.response.payer }),
      status: 'pending',
    }
  }
  return settleRefusal(
    requirements,
    'duplicate_settlement',
    'this payment is being settled or was already settled',
    entry.response?.payer,
  )
}

/** Options of {@link settleOnce}. */
export interface SettleOnceOptions {
  ledger: FacilitatorLedger
  /** Adds the payment id to answers (ledger-backed facilitators). */
  exposeId: boolean
  messageOf(error: unknown): string
  /** This instance verified the payment moments ago (`SettleContext.verified`). */
  verified?: boolean
}

/**
 * Settles a payment at most once: claims its id in the ledger, lets the scheme record its transaction
 * before broadcasting, and records the answer. A retry gets the recorded answer or a pending/duplicate one.
 * A settle that failed before anything was sent (its re-verify refused the payment, say) is recorded as
 * `failed` with `sent: false`, which a later settle may claim again, and as a refusal in the history.
 */
export async function settleOnce(
  part: SchemeFacilitator,
  id: string,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: SettleOnceOptions,
): Promise<SettleResponse> {
  const { ledger, messageOf } = options
  const shownId = options.exposeId ? id : undefined
  let begun: Awaited<ReturnType<FacilitatorLedger['begin']>>
  try {
    begun = await ledger.begin(id, ledgerDetailsOf(requirements))
  } catch (error) {
    const message = `the settlement ledger is unavailable, nothing was sent: ${messageOf(error)}`
    return settleRefusal(requirements, LEDGER_UNAVAILABLE, message)
  }
  if (!begun.claimed) return withSettlementId(answerRetry(begun.entry, requirements), shownId)
  const { ticket } = begun
  let approved: string | undefined
  let ledgerError: string | undefined
  const context: SettleContext = {
    verified: options.verified === true,
    async beforeBroadcast(transaction) {
      try {
        if (await ledger.sending(ticket, transaction)) {
          approved = transaction.transaction
          return true
        }
        return false
      } catch (error) {
        ledgerError = messageOf(error)
        return false
      }
    },
  }
  let result: SettleResponse
  try {
    result = await part.settle(payload, requirements, context)
  } catch (error) {
    result =
      approved === undefined
        ? settleRefusal(requirements, 'unexpected_settle_error', messageOf(error))
        : {
            success: false,
            errorReason: 'settlement_pending',
            errorMessage: `transaction ${approved} may have been sent (${messageOf(error)}); poll its state`,
            transaction: approved,
            network: requirements.network,
            status: 'pending',
          }
  }
  if (ledgerError !== undefined && approved === undefined && !result.success && result.transaction === '') {
    const message = `the settlement ledger is unavailable, nothing was sent: ${ledgerError}`
    result = settleRefusal(requirements, LEDGER_UNAVAILABLE, message, result.payer)
  }
  result = withSettlementId(result, shownId)
  const sent =
    approved !== undefined || result.success || result.status === 'pending' || result.transaction !== ''
  try {
    await ledger.finish(ticket, result, { sent })
  } catch {
    // The transaction (if any) is recorded as sending: the reconciler finishes the record.
  }
  if (!sent && !result.success && result.errorReason !== LEDGER_UNAVAILABLE && ledger.recordRefused) {
    try {
      await ledger.recordRefused(id, ledgerDetailsOf(requirements, result.payer), settleRefusalOf(result))
    } catch {
      // The answer is already a refusal with nothing sent, and `finish` recorded it as failed.
    }
  }
  return result
}
