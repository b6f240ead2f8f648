import type { PaymentPayload, PaymentRequirements, SettleContext, SettleResponse } from '@open402/core'
import type { Address } from 'viem'
import { refuse } from '../exact/facilitator/invalid.js'
import type { NetworkRuntime } from '../exact/facilitator/network-runtime.js'
import {
  refusedSettlement,
  type SettleOptions,
  sendSettlement,
} from '../exact/facilitator/send-settlement.js'
import type { TransactionSender } from '../exact/facilitator/transaction-sender.js'
import { uptoPermit2CallData } from './permit2-call-data.js'
import { EXACT_PERMIT2, UPTO_PERMIT2 } from './permit2-flavor.js'
import { simulatePermit2, type VerifiedPermit2Payment, verifyPermit2Payment } from './verify-permit2.js'

function gasFor(runtime: NetworkRuntime, payment: VerifiedPermit2Payment): bigint {
  return payment.kind === 'ecdsa' && payment.permit2612 === undefined
    ? runtime.gasLimit.permit2
    : runtime.gasLimit.permit2Contract
}

/**
 * Settles an exact Permit2 payment: re-verifies (the simulation too unless this facilitator verified it
 * moments ago), then sends `settle` (or `settleWithPermit` with the payment's EIP-2612 permit) to the exact
 * proxy and waits for the receipt with a timeout (`pending` after it).
 */
export async function settleExactPermit2(
  runtime: NetworkRuntime,
  sender: TransactionSender,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: SettleOptions,
  context: SettleContext = {},
): Promise<SettleResponse> {
  const verified = await verifyPermit2Payment(runtime, EXACT_PERMIT2, payload, requirements, {
    simulate: options.simulateInSettle ?? context.verified !== true,
    simulateFrom: sender.address,
    now: Math.floor(Date.now() / 1000),
  })
  if (!verified.ok) return refusedSettlement(runtime.network, verified)
  return sendSettlement(
    runtime,
    sender,
    { to: EXACT_PERMIT2.proxy, data: verified.callData, gas: gasFor(runtime, verified) },
    verified.payer,
    options,
    context,
    { revertReason: EXACT_PERMIT2.reasons.revert },
  )
}

/**
 * Settles an upto payment for `requirements.amount`, the actual charge: re-verifies the authorization
 * against its own permitted maximum, refuses a charge above it
 * (`invalid_upto_evm_payload_settlement_exceeds_amount`), answers a charge of 0 with success and no
 * transaction, else sends `settle(permit, amount, owner, witness, signature)` from the key the witness names
 * (the proxy accepts no other caller). The answer carries `amount`.
 */
export async function settleUpto(
  runtime: NetworkRuntime,
  senders: readonly TransactionSender[],
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: SettleOptions,
  context: SettleContext = {},
): Promise<SettleResponse> {
  const network = runtime.network
  const facilitators = senders.map((sender) => sender.address)
  const charge = parseCharge(requirements.amount)
  if (charge === undefined) {
    return refusedSettlement(
      network,
      refuse(
        'invalid_payment_requirements',
        `requirements.amount must be the charge in atomic units (a decimal string), got ${JSON.stringify(requirements.amount)}`,
      ),
    )
  }
  const permitted = permittedAmount(payload)
  // The authorization is checked against its own maximum: at settle, requirements.amount is the charge.
  const verified = await verifyPermit2Payment(
    runtime,
    UPTO_PERMIT2,
    payload,
    permitted === undefined ? requirements : { ...requirements, amount: permitted },
    {
      simulate: false,
      simulateFrom: facilitators[0] as Address,
      now: Math.floor(Date.now() / 1000),
      facilitators,
    },
  )
  if (!verified.ok) return refusedSettlement(network, verified)
  const payer = verified.payer
  const max = verified.authorization.permitted.amount
  if (charge > max) {
    return refusedSettlement(
      network,
      refuse(
        'invalid_upto_evm_payload_settlement_exceeds_amount',
        `the charge ${charge} is above the ${max} the payer authorized`,
        payer,
      ),
    )
  }
  if (charge === 0n) {
    return { success: true, transaction: '', network, payer, amount: '0', status: 'confirmed' }
  }
  const sender = senders.find((candidate) => candidate.address === verified.authorization.witness.facilitator)
  if (!sender) throw new Error('verify accepted a witness.facilitator that has no sender')
  const payment: VerifiedPermit2Payment = {
    ...verified,
    amount: charge,
    callData: uptoPermit2CallData(verified.authorization, verified.signature, charge, verified.permit2612),
  }
  if (options.simulateInSettle ?? context.verified !== true) {
    const refusal = await simulatePermit2(runtime, UPTO_PERMIT2, payment, sender.address)
    if (refusal) return refusedSettlement(network, refusal)
  }
  return sendSettlement(
    runtime,
    sender,
    { to: UPTO_PERMIT2.proxy, data: payment.callData, gas: gasFor(runtime, payment) },
    payer,
    options,
    context,
    { revertReason: UPTO_PERMIT2.reasons.revert, amount: charge.toString() },
  )
}

function parseCharge(amount: string): bigint | undefined {
  return typeof amount === 'string' && /^(0|[1-9][0-9]*)$/.test(amount) ? BigInt(amount) : undefined
}

/** `permit2Authorization.permitted.amount` as sent, when it is a string (the parser checks it properly). */
function permittedAmount(payload: PaymentPayload): string | undefined {
  const authorization = payload.payload.permit2Authorization as
    | { permitted?: { amount?: unknown } }
    | undefined
  const amount = authorization?.permitted?.amount
  return typeof amount === 'string' ? amount : undefined
}
