import type {
  PaymentPayload,
  PaymentRequirements,
  ReconcileOutcome,
  ReconcileTarget,
  SchemeFacilitator,
  SettleContext,
  SettleResponse,
  VerifyResponse,
} from '@open402/core'
import type { Ledger, LedgerRefusal } from '../ledger/ledger.js'
import { __SCREAMING___SCHEME, transactionId } from '../shared/__NAME__-payload.js'
import { __SCREAMING___REASONS as REASONS } from './reasons.js'
import { verifyPayment } from './verify.js'

/** Options of {@link __CAMEL__Facilitator}. */
export interface __PASCAL__FacilitatorOptions {
  /** The chain this part settles on. TODO(real chain): an RPC URL or client per network. */
  ledger: Ledger
  /** The address this facilitator submits transactions as, listed in `/supported`'s `signers`. */
  signer: string
}

const FAILED_ON_LEDGER: Record<LedgerRefusal, { reason: keyof typeof REASONS; message: string }> = {
  nonce_spent: { reason: 'replay', message: 'the ledger refused the transfer: its nonce is already spent' },
  insufficient_balance: {
    reason: 'balance',
    message: "the ledger refused the transfer: the payer's balance is too low",
  },
}

/**
 * The facilitator part of the `__NAME__` scheme on `ledger:*`: verifies an authorization against the
 * requirements and the ledger, and settles it by executing the transfer on the ledger.
 * @example createFacilitator({ schemes: [__CAMEL__Facilitator({ ledger, signer: operator.address })] })
 */
export function __CAMEL__Facilitator(options: __PASCAL__FacilitatorOptions): SchemeFacilitator {
  const { ledger, signer } = options
  return {
    scheme: __SCREAMING___SCHEME,
    network: 'ledger:*',
    kinds: () => [{ x402Version: 2, scheme: __SCREAMING___SCHEME, network: ledger.network }],
    signers: () => ({ 'ledger:*': [signer] }),

    async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
      const result = verifyPayment(ledger, payload, requirements)
      if (result.ok) return { isValid: true, payer: result.payer }
      const refusal: VerifyResponse = {
        isValid: false,
        invalidReason: result.reason,
        invalidMessage: result.message,
      }
      if (result.payer !== undefined) refusal.payer = result.payer
      return refusal
    },

    async settle(
      payload: PaymentPayload,
      requirements: PaymentRequirements,
      context?: SettleContext,
    ): Promise<SettleResponse> {
      const network = requirements.network
      const failure = (
        reason: SettleResponse['errorReason'],
        message: string,
        payer?: string,
      ): SettleResponse => ({
        success: false,
        errorReason: reason,
        errorMessage: message,
        transaction: '',
        network,
        status: 'failed',
        ...(payer === undefined ? {} : { payer }),
      })
      // Settle re-checks every rule: the payment may have expired or been spent since /verify.
      const verified = verifyPayment(ledger, payload, requirements)
      if (!verified.ok) return failure(verified.reason, verified.message, verified.payer)
      const { payer, payload: payment } = verified
      const transaction = transactionId(network, payment)
      // The id is known before the transfer runs: let the facilitator record it first (DESIGN §4), so a
      // crash after the broadcast is reconciled, not paid twice.
      if (context?.beforeBroadcast && !(await context.beforeBroadcast({ transaction, signer }))) {
        return failure(REASONS.replay, 'this payment is being settled elsewhere; nothing was sent', payer)
      }
      // TODO(real chain): send the transaction, wait for its receipt with a timeout, and answer
      // `status: 'pending'` with the transaction when the receipt does not come in time.
      const submitted = ledger.submit({
        from: payer,
        to: payment.authorization.to,
        asset: payment.authorization.asset,
        amount: BigInt(payment.authorization.amount),
        nonce: payment.authorization.nonce,
        transaction,
      })
      if (!submitted.ok) {
        const { reason, message } = FAILED_ON_LEDGER[submitted.refusal]
        return failure(REASONS[reason], message, payer)
      }
      return {
        success: true,
        transaction,
        network,
        payer,
        amount: payment.authorization.amount,
        status: 'confirmed',
      }
    },

    async reconcile(target: ReconcileTarget): Promise<ReconcileOutcome> {
      const executed = target.network === ledger.network ? ledger.transaction(target.transaction) : undefined
      if (!executed) return { state: 'unknown' }
      return {
        state: 'confirmed',
        response: {
          success: true,
          transaction: target.transaction,
          network: target.network,
          payer: executed.from,
          amount: executed.amount.toString(),
          status: 'confirmed',
        },
      }
    },
  }
}
