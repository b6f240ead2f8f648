import { type Address, getPublicKeyFromAddress, type SignatureBytes, verifySignature } from '@solana/kit'
import type { DecodedPaymentTransaction } from '../../shared/decode-payment-transaction.js'
import { type Refusal, refuse } from './invalid.js'

/**
 * The fee payer (account index 0) must appear in no instruction: not as program, not as the transfer's
 * authority or source, not in a memo's or Lighthouse's accounts (scheme_exact_svm.md §2.1.1, x402f#646).
 */
export function checkFeePayerIsolation(
  decoded: DecodedPaymentTransaction,
  payer: Address,
): Refusal | undefined {
  const { feePayer, instructions, message } = decoded
  if (payer === feePayer) {
    return refuse(
      'invalid_exact_svm_payload_transaction_fee_payer_transferring_funds',
      `the fee payer ${feePayer} is the transfer's authority: the facilitator would pay with its own tokens`,
      payer,
    )
  }
  const duplicates = message.staticAccounts.filter((account) => account === feePayer).length
  for (const [position, instruction] of instructions.entries()) {
    if (duplicates > 1 || instruction.programIndex === 0 || instruction.accountIndices.includes(0)) {
      return refuse(
        'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
        `instruction ${position + 1} (${instruction.programAddress}) references the fee payer ${feePayer}; the fee payer may only pay the fee`,
        payer,
      )
    }
  }
  return undefined
}

/** Exactly two signers, the fee payer and the transfer authority, and a valid signature of the latter. */
export async function checkSigners(
  decoded: DecodedPaymentTransaction,
  payer: Address,
): Promise<Refusal | undefined> {
  const { signers, transaction } = decoded
  if (signers.length > 2) {
    return refuse(
      'invalid_exact_svm_payload_excessive_signers',
      `the transaction requires ${signers.length} signatures; expected 2 (the fee payer and the token owner ${payer})`,
      payer,
    )
  }
  if (signers[1] !== payer) {
    return refuse(
      'invalid_exact_svm_payload_signature_invalid',
      `the transfer authority ${payer} must sign the transaction as its second signer`,
      payer,
    )
  }
  const signature = transaction.signatures[payer]
  const valid =
    signature != null &&
    (await verifySignature(
      await getPublicKeyFromAddress(payer),
      signature as SignatureBytes,
      transaction.messageBytes,
    ).catch(() => false))
  if (!valid) {
    return refuse(
      'invalid_exact_svm_payload_signature_invalid',
      `the signature of ${payer} is ${signature == null ? 'missing' : 'not valid for this message'}`,
      payer,
    )
  }
  return undefined
}
