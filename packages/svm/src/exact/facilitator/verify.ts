import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { TransactionPartialSigner } from '@solana/kit'
import { type CheckedPayment, checkTransaction, type SponsorPolicy } from './check-transaction.js'
import { type CoSignedTransaction, coSign } from './co-sign.js'
import type { Refusal } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { simulate } from './simulate.js'

/** A payment that passed every rule, co-signed by the fee payer and ready to send. */
export interface VerifiedPayment extends CheckedPayment, CoSignedTransaction {}

/**
 * Checks every local rule, co-signs as the fee payer and, if `simulate`, simulates the signed transaction:
 * one RPC call for a valid payment, none for one that breaks a rule.
 */
export async function verifyPayment(
  runtime: NetworkRuntime,
  signers: ReadonlyMap<string, TransactionPartialSigner>,
  policy: SponsorPolicy,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: { simulate: boolean },
): Promise<VerifiedPayment | Refusal> {
  const checked = await checkTransaction(payload, requirements, policy)
  if (!checked.ok) return checked
  const signer = signers.get(checked.feePayer) as TransactionPartialSigner
  const signed = await coSign(checked.decoded.transaction, signer)
  if (options.simulate) {
    const failure = await simulate(runtime, signed.wire, checked.payer)
    if (failure) return failure
  }
  return { ...checked, ...signed }
}
