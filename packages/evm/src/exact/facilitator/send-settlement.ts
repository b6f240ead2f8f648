import type { Caip2, ErrorReason, SettleContext, SettleResponse } from '@open402/core'
import type { Address, Hex } from 'viem'
import type { Refusal } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { BroadcastRefused, SendFailure, type TransactionSender } from './transaction-sender.js'
import { waitForReceipt } from './wait-for-receipt.js'

/** Settlement knobs shared by every network of a facilitator. */
export interface SettleOptions {
  /** true: always simulate; false: never; undefined: unless this facilitator just verified the payment. */
  simulateInSettle: boolean | undefined
  receiptTimeoutMs: number
  receiptPollIntervalMs: number
}

/** The settle answer for a payment refused by settle's own checks: nothing was sent. */
export function refusedSettlement(network: Caip2, refusal: Refusal): SettleResponse {
  const failure: SettleResponse = {
    success: false,
    // The chain could not be asked (during settle's own checks): a settle error, nothing was sent.
    errorReason: refusal.reason === 'unexpected_verify_error' ? 'unexpected_settle_error' : refusal.reason,
    errorMessage: refusal.message,
    transaction: '',
    network,
    status: 'failed',
  }
  if (refusal.payer !== undefined) failure.payer = refusal.payer
  return failure
}

/**
 * Signs and sends one settlement transaction from `sender` and waits for its receipt with a timeout. A
 * transaction still unmined at the timeout is `settlement_pending` with its hash, never a plain failure; a
 * revert is `revertReason` with the hash. `amount` (the atomic amount moved) is added to the answers that
 * carry a transaction.
 */
export async function sendSettlement(
  runtime: NetworkRuntime,
  sender: TransactionSender,
  call: { to: Address; data: Hex; gas: bigint },
  payer: string,
  options: SettleOptions,
  context: SettleContext,
  outcome: { revertReason: ErrorReason; amount?: string },
): Promise<SettleResponse> {
  const network = runtime.network
  const amount = outcome.amount === undefined ? {} : { amount: outcome.amount }
  let hash: Hex
  try {
    hash = await sender.send(call, context.beforeBroadcast?.bind(context))
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
        ...amount,
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
      ...amount,
      status: 'pending',
    }
  }
  if (receipt.status !== 'success') {
    return {
      success: false,
      errorReason: outcome.revertReason,
      errorMessage: `transaction ${hash} reverted in block ${receipt.blockNumber}`,
      transaction: hash,
      network,
      payer,
      status: 'failed',
    }
  }
  return { success: true, transaction: hash, network, payer, ...amount, status: 'confirmed' }
}
