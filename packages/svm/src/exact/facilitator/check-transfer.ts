import type { PaymentRequirements } from '@open402/core'
import type { Address } from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import type {
  DecodedInstruction,
  DecodedPaymentTransaction,
} from '../../shared/decode-payment-transaction.js'
import { MEMO_PROGRAM } from '../../shared/programs.js'
import { type Refusal, refuse } from './invalid.js'

/**
 * Binds the transfer to the requirements: the mint, the destination (payTo's associated token account for
 * the mint under the instruction's token program), the exact amount, and the memo when `extra.memo` is set.
 */
export async function checkTransfer(
  decoded: DecodedPaymentTransaction,
  transfer: DecodedInstruction,
  requirements: PaymentRequirements,
  payer: Address,
): Promise<Refusal | undefined> {
  const [, mint, destination] = transfer.accounts as [Address, Address, Address, Address]
  if (mint !== requirements.asset) {
    return refuse(
      'invalid_exact_svm_payload_mint_mismatch',
      `the transfer moves mint ${mint}, expected ${requirements.asset}`,
      payer,
    )
  }
  let expected: Address
  try {
    ;[expected] = await findAssociatedTokenPda({
      owner: requirements.payTo as Address,
      mint,
      tokenProgram: transfer.programAddress,
    })
  } catch {
    return refuse(
      'invalid_exact_svm_payload_recipient_mismatch',
      `requirements.payTo ${requirements.payTo} is not a Solana address`,
      payer,
    )
  }
  if (destination !== expected) {
    return refuse(
      'invalid_exact_svm_payload_recipient_mismatch',
      `the transfer pays ${destination}, expected ${expected}, the associated token account of ${requirements.payTo} for ${mint}`,
      payer,
    )
  }
  const data = transfer.data
  const amount = new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(1, true)
  if (amount !== BigInt(requirements.amount)) {
    return refuse(
      'invalid_exact_svm_payload_amount_mismatch',
      `the transfer moves ${amount} atomic units, expected exactly ${requirements.amount}`,
      payer,
    )
  }
  const memo = requirements.extra?.memo
  if (typeof memo === 'string' && memo !== '') {
    const memos = decoded.instructions
      .slice(3)
      .filter((instruction) => instruction.programAddress === MEMO_PROGRAM)
    if (memos.length !== 1) {
      return refuse(
        'invalid_exact_svm_payload_memo_count',
        `the transaction has ${memos.length} Memo instructions; expected exactly one carrying extra.memo`,
        payer,
      )
    }
    const actual = new TextDecoder().decode(memos[0]?.data)
    if (actual !== memo) {
      return refuse(
        'invalid_exact_svm_payload_memo_mismatch',
        `the memo is ${JSON.stringify(actual)}, expected extra.memo ${JSON.stringify(memo)}`,
        payer,
      )
    }
  }
  return undefined
}
