import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  type Instruction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type TransactionSigner,
} from '@solana/kit'
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget'
import { getAddMemoInstruction } from '@solana-program/memo'
import { findAssociatedTokenPda, getTransferCheckedInstruction } from '@solana-program/token'
import { MEMO_PROGRAM } from '../../shared/programs.js'

/** Default compute unit limit of a payment: room for TransferChecked (either token program) and a memo. */
export const DEFAULT_COMPUTE_UNIT_LIMIT = 20_000
/** Default compute unit price: 1 microlamport, the smallest non-zero priority fee. */
export const DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS = 1n

/** What a payment transaction pays: the token transfer, its memo and its compute budget. */
export interface PaymentInstructionsInput {
  /** The token owner, who signs the transfer. */
  owner: TransactionSigner
  mint: Address
  decimals: number
  tokenProgram: Address
  payTo: Address
  amount: bigint
  memo: string
  computeUnitLimit?: number
  computeUnitPriceMicroLamports?: bigint
}

/**
 * The instructions of an exact payment in the spec's order: SetComputeUnitLimit, SetComputeUnitPrice,
 * TransferChecked from the owner's associated token account to payTo's, then a Memo (scheme_exact_svm.md §3.1).
 */
export async function paymentInstructions(input: PaymentInstructionsInput): Promise<Instruction[]> {
  const { owner, mint, tokenProgram } = input
  const [[source], [destination]] = await Promise.all([
    findAssociatedTokenPda({ owner: owner.address, mint, tokenProgram }),
    findAssociatedTokenPda({ owner: input.payTo, mint, tokenProgram }),
  ])
  return [
    getSetComputeUnitLimitInstruction({ units: input.computeUnitLimit ?? DEFAULT_COMPUTE_UNIT_LIMIT }),
    getSetComputeUnitPriceInstruction({
      microLamports: input.computeUnitPriceMicroLamports ?? DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
    }),
    // Token-2022's TransferChecked has SPL Token's layout: the same builder with the program id set.
    getTransferCheckedInstruction(
      { source, mint, destination, authority: owner, amount: input.amount, decimals: input.decimals },
      { programAddress: tokenProgram },
    ),
    getAddMemoInstruction({ memo: input.memo }, { programAddress: MEMO_PROGRAM }),
  ]
}

/** The lifetime and fee payer of a transaction, and its wire version. */
export interface PaymentTransactionFrame {
  feePayer: Address
  blockhash: { blockhash: Blockhash; lastValidBlockHeight: bigint }
  version?: 0 | 'legacy'
}

/**
 * Compiles `instructions` with `feePayer` as fee payer and signs with the signers they carry (the token
 * owner), leaving the fee payer's signature slot empty; returns the base64 wire transaction.
 */
export async function signPaymentTransaction(
  instructions: readonly Instruction[],
  frame: PaymentTransactionFrame,
): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: frame.version ?? 0 }),
    (m) => setTransactionMessageFeePayer(frame.feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(frame.blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  const transaction = await partiallySignTransactionMessageWithSigners(message)
  return getBase64EncodedWireTransaction(transaction)
}
