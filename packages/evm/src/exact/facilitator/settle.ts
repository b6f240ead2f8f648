import type { PaymentPayload, PaymentRequirements, SettleContext, SettleResponse } from '@open402/core'
import type { NetworkRuntime } from './network-runtime.js'
import { BroadcastRefused, SendFailure, type TransactionSender } from './transaction-sender.js'
import { verifyPayment } from './verify.js'
import { waitForReceipt } from './wait-for-receipt.js'

/** Settlement knobs shared by every network of a facilitator. */
export interface SettleOptions {
  /** true: always simulate; false: never; undefined: unless this facilitator just verified the payment. */
  simulateInSettle: boolean | undefined
  receiptTimeoutMs: number
  receiptPollIntervalMs: number
}

/**
 * Re-verifies (local rules and signature; the simulation too unless this facilitator verified the payment
 * moments ago, so a settle nobody verified cannot make it pay gas for a doomed transaction), sends
 * `transferWithAuthorization` and waits for its receipt with a timeout. A transaction still unmined at
 * the timeout is reported as `settlement_pending` with its hash, never as a plain failure.
 */
export async function settlePayment(
  runtime: NetworkRuntime,
  sender: TransactionSender,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: SettleOptions,
  context: SettleContext = {},
): Promise<SettleResponse> {
  const network = runtime.network
  const verified = await verifyPayment(runtime, payload, requirements, {
    simulate: options.simulateInSettle ?? context.verified !== true,
    simulateFrom: sender.address,
    now: Math.floor(Date.now() / 1000),
  })
  if (!verified.ok) {
    const failure: SettleResponse = {
      success: false,
      // The chain could not be asked (during settle's own checks): a settle error, nothing was sent.
      errorReason:
        verified.reason === 'unexpected_verify_error' ? 'unexpected_settle_error' : verified.reason,
      errorMessage: verified.message,
      transaction: '',
      network,
      status: 'failed',
    }
    if (verified.payer !== undefined) failure.payer = verified.payer
    return failure
  }
  const payer = verified.payer
  let hash: `0x${string}`
  try {
    hash = await sender.send(
      {
        to: verified.asset,
        data: verified.callData,
        gas: verified.kind === 'ecdsa' ? runtime.gasLimit.ecdsa : runtime.gasLimit.contract,
      },
      context.beforeBroadcast?.bind(context),
    )
  } catch (error) {
    if (error instanceof BroadcastRefused) {
      return {
        success: false,
        errorReason: 'duplicate_settlement',
        errorMessage: 'this payment is being settled elsewhere; nothing was sent',
        transaction: '',
        network,
        payer,
        status: 'failed',
      }
    }
    if (error instanceof SendFailure && error.mayHaveBroadcast && error.hash !== undefined) {
      // The bytes left but the node's answer did not arrive: the transfer may still happen, so this is
      // pending (the reconciler finds it, or re-sends the same bytes), never a failure that invites a
      // second payment.
      sender.resyncNonce()
      return {
        success: false,
        errorReason: 'settlement_pending',
        errorMessage: `transaction ${error.hash} may have been sent but the node could not be reached to confirm it (${error.message})`,
        transaction: error.hash,
        network,
        payer,
        status: 'pending',
      }
    }
    return {
      success: false,
      errorReason: 'unexpected_settle_error',
      errorMessage:
        error instanceof SendFailure ? error.message : 'the settlement transaction could not be sent',
      transaction: '',
      network,
      payer,
      status: 'failed',
    }
  }
  const receipt = await waitForReceipt(
    runtime.client,
    hash,
    options.receiptTimeoutMs,
    options.receiptPollIntervalMs,
  )
  if (!receipt) {
    sender.resyncNonce()
    return {
      success: false,
      errorReason: 'settlement_pending',
      errorMessage: `transaction ${hash} was sent but not confirmed within ${options.receiptTimeoutMs} ms; it may still be mined`,
      transaction: hash,
      network,
      payer,
      status: 'pending',
    }
  }
  if (receipt.status !== 'success') {
    return {
      success: false,
      errorReason: 'invalid_exact_evm_transaction_failed',
      errorMessage: `transaction ${hash} reverted in block ${receipt.blockNumber}`,
      transaction: hash,
      network,
      payer,
      status: 'failed',
    }
  }
  return { success: true, transaction: hash, network, payer, status: 'confirmed' }
}
