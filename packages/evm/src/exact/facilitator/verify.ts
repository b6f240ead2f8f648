import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { Address, Hex } from 'viem'
import { type CheckedPayment, checkPayment } from './check-payment.js'
import { checkSignature, isTransportError, type SignatureKind } from './check-signature.js'
import { diagnoseFailedTransfer } from './diagnose.js'
import { describeError, type Refusal, refuse } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { transferCallData } from './transfer-call-data.js'

/** A payment that passed every rule, with the calldata that executes it. */
export interface VerifiedPayment extends CheckedPayment {
  kind: SignatureKind
  callData: Hex
}

/**
 * Checks a payment: first every local rule (no RPC), then the signature (local ECDSA recovery; one
 * `eth_call` only for contract wallets), then, if `simulate`, one `eth_call` of the transfer itself —
 * whose success also proves balance, nonce and domain. Only a failed simulation costs a second call.
 */
export async function verifyPayment(
  runtime: NetworkRuntime,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: { simulate: boolean; simulateFrom: Address; now: number },
): Promise<VerifiedPayment | Refusal> {
  const checked = checkPayment(payload, requirements, options.now)
  if (!checked.ok) return checked
  const signature = await checkSignature(runtime, checked)
  if (!signature.ok) return signature
  const callData = transferCallData(checked.authorization, checked.signature, signature.kind)
  if (options.simulate) {
    try {
      await runtime.client.call({ account: options.simulateFrom, to: checked.asset, data: callData })
    } catch (error) {
      if (isTransportError(error)) {
        return refuse(
          'unexpected_verify_error',
          `could not simulate the transfer on ${runtime.network}: ${describeError(error)}`,
          checked.payer,
        )
      }
      return diagnoseFailedTransfer(runtime, checked, error)
    }
  }
  return { ...checked, kind: signature.kind, callData }
}
