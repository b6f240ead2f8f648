import type { PaymentPayload, PaymentRequirements, SettleContext, SettleResponse } from '@open402/core'
import type { NetworkRuntime } from './network-runtime.js'
import { refusedSettlement, type SettleOptions, sendSettlement } from './send-settlement.js'
import type { TransactionSender } from './transaction-sender.js'
import { verifyPayment } from './verify.js'

export type { SettleOptions } from './send-settlement.js'

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
  const verified = await verifyPayment(runtime, payload, requirements, {
    simulate: options.simulateInSettle ?? context.verified !== true,
    simulateFrom: sender.address,
    now: Math.floor(Date.now() / 1000),
  })
  if (!verified.ok) return refusedSettlement(runtime.network, verified)
  return sendSettlement(
    runtime,
    sender,
    {
      to: verified.asset,
      data: verified.callData,
      gas: verified.kind === 'ecdsa' ? runtime.gasLimit.ecdsa : runtime.gasLimit.contract,
    },
    verified.payer,
    options,
    context,
    { revertReason: 'invalid_exact_evm_transaction_failed' },
  )
}
