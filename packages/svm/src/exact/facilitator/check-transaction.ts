import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { Address } from '@solana/kit'
import {
  type DecodedPaymentTransaction,
  decodePaymentTransaction,
} from '../../shared/decode-payment-transaction.js'
import { parseExactSvmPayload } from '../../shared/exact-svm-payload.js'
import { type ComputeBudgetCaps, checkLayout } from './check-layout.js'
import { checkFeePayerIsolation, checkSigners } from './check-signers.js'
import { checkTransfer } from './check-transfer.js'
import { type Refusal, refuse } from './invalid.js'

/** The facilitator's limits on what it sponsors. */
export interface SponsorPolicy extends ComputeBudgetCaps {
  /** The fee payer addresses this facilitator signs for. */
  feePayers: ReadonlySet<string>
}

/** A payment transaction that satisfies every rule that needs no chain. */
export interface CheckedPayment {
  ok: true
  decoded: DecodedPaymentTransaction
  feePayer: Address
  /** The token owner who signed the transfer (the `payer` of the responses). */
  payer: Address
}

/**
 * The rules of the exact scheme on Solana that need no RPC (scheme_exact_svm.md §2.1, §3.1, and the full
 * fee-payer account scan of x402f#646), each with its own reason code, in a fixed order.
 */
export async function checkTransaction(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  policy: SponsorPolicy,
): Promise<CheckedPayment | Refusal> {
  const accepted = payload.accepted
  if (requirements.scheme !== 'exact' || accepted?.scheme !== 'exact') {
    return refuse(
      'invalid_exact_svm_unsupported_scheme',
      `scheme must be "exact" in both the payment and the requirements, got payment "${accepted?.scheme}" and requirements "${requirements.scheme}"`,
    )
  }
  if (accepted.network !== requirements.network) {
    return refuse(
      'invalid_exact_svm_network_mismatch',
      `payment is for network ${accepted.network} but the requirements are for ${requirements.network}`,
    )
  }
  if (accepted.asset !== requirements.asset) {
    return refuse(
      'invalid_exact_svm_asset_mismatch',
      `payment is for mint ${accepted.asset} but the requirements ask for ${requirements.asset}`,
    )
  }
  if (accepted.payTo !== requirements.payTo) {
    return refuse(
      'invalid_exact_svm_recipient_mismatch',
      `payment is to ${accepted.payTo} but the requirements' payTo is ${requirements.payTo}`,
    )
  }
  const feePayer = requirements.extra?.feePayer
  if (typeof feePayer !== 'string' || feePayer === '') {
    return refuse(
      'invalid_exact_svm_payload_missing_fee_payer',
      "requirements.extra.feePayer must name the facilitator's fee payer (from its /supported kind)",
    )
  }
  if (!policy.feePayers.has(feePayer)) {
    return refuse(
      'fee_payer_not_managed_by_facilitator',
      `fee payer ${feePayer} is not one of this facilitator's keys (${[...policy.feePayers].join(', ')})`,
    )
  }
  const parsed = parseExactSvmPayload(payload.payload)
  if (!parsed.ok) return refuse('invalid_exact_svm_payload_transaction_could_not_be_decoded', parsed.message)
  const decodedResult = decodePaymentTransaction(parsed.transaction)
  if (!decodedResult.ok) {
    return refuse('invalid_exact_svm_payload_transaction_could_not_be_decoded', decodedResult.message)
  }
  const decoded = decodedResult.decoded
  if (decoded.usesLookupTables) {
    return refuse(
      'invalid_exact_svm_payload_address_lookup_tables',
      'the transaction loads accounts from address lookup tables; the exact layout needs none, so every account must be static',
    )
  }
  if (decoded.feePayer !== feePayer) {
    return refuse(
      'invalid_exact_svm_fee_payer_mismatch',
      `the transaction's fee payer is ${decoded.feePayer}, expected extra.feePayer ${feePayer}`,
    )
  }
  const layout = checkLayout(decoded.instructions, policy)
  if (!layout.ok) return layout
  const { transfer } = layout
  const payer = transfer.accounts[3] as Address
  const isolation = checkFeePayerIsolation(decoded, payer)
  if (isolation) return isolation
  const signers = await checkSigners(decoded, payer)
  if (signers) return signers
  const binding = await checkTransfer(decoded, transfer, requirements, payer)
  if (binding) return binding
  return { ok: true, decoded, feePayer: feePayer as Address, payer }
}
