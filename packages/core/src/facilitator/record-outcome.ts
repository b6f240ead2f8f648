import type { SettleResponse, VerifyResponse } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { FacilitatorLedger, LedgerRefusal } from './facilitator-ledger.js'
import { paymentId } from './payment-id.js'
import { LEDGER_UNAVAILABLE, ledgerDetailsOf, settleRefusal, settleRefusalOf } from './settle-once.js'

/**
 * Records a verify answer in the ledger (a valid payment as `verified`, a refusal as history) and returns
 * the answer to give. Fails closed: when the ledger cannot record it, the answer is `ledger_unavailable`,
 * whose message keeps the refusal (if any) so its cause is not lost.
 */
export async function recordVerifyOutcome(
  ledger: FacilitatorLedger,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  result: VerifyResponse,
  messageOf: (error: unknown) => string,
  /** The payment's id when the caller already computed it. */
  knownId?: string,
): Promise<VerifyResponse> {
  const record = result.isValid ? ledger.recordVerified : ledger.recordRefused
  if (!record) return result
  const details = ledgerDetailsOf(requirements, result.payer)
  try {
    const id = knownId ?? (await paymentId(payload))
    if (result.isValid) await ledger.recordVerified?.(id, details)
    else await ledger.recordRefused?.(id, details, verifyRefusal(result))
    return result
  } catch (error) {
    const refused = result.isValid
      ? ''
      : `; the payment was also refused (${describe(verifyRefusal(result))})`
    return {
      isValid: false,
      invalidReason: LEDGER_UNAVAILABLE,
      invalidMessage: `the settlement ledger is unavailable: ${messageOf(error)}${refused}`,
      ...(result.payer === undefined ? {} : { payer: result.payer }),
    }
  }
}

/**
 * Records a settle refused before any claim (the request does not match the requirements, or no scheme
 * handles it) and returns the answer to give; `ledger_unavailable` when it cannot be recorded.
 */
export async function recordSettleRefusal(
  ledger: FacilitatorLedger,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  answer: SettleResponse,
  messageOf: (error: unknown) => string,
): Promise<SettleResponse> {
  if (!ledger.recordRefused) return answer
  const refusal = settleRefusalOf(answer)
  try {
    await ledger.recordRefused(await paymentId(payload), ledgerDetailsOf(requirements), refusal)
    return answer
  } catch (error) {
    const message = `the settlement ledger is unavailable, nothing was sent: ${messageOf(error)}; the payment was also refused (${describe(refusal)})`
    return settleRefusal(requirements, LEDGER_UNAVAILABLE, message, answer.payer)
  }
}

function verifyRefusal(result: VerifyResponse): LedgerRefusal {
  return {
    stage: 'verify',
    reason: result.invalidReason ?? 'invalid_payload',
    ...(result.invalidMessage === undefined ? {} : { message: result.invalidMessage }),
  }
}

function describe(refusal: LedgerRefusal): string {
  return refusal.message === undefined ? refusal.reason : `${refusal.reason}: ${refusal.message}`
}
