import type { DecodedInstruction } from '../../shared/decode-payment-transaction.js'
import {
  COMPUTE_BUDGET_PROGRAM,
  isTokenProgram,
  LIGHTHOUSE_PROGRAM,
  MEMO_PROGRAM,
  SET_COMPUTE_UNIT_LIMIT_DISCRIMINATOR,
  SET_COMPUTE_UNIT_PRICE_DISCRIMINATOR,
  TRANSFER_CHECKED_DISCRIMINATOR,
} from '../../shared/programs.js'
import { type Refusal, refuse } from './invalid.js'

/** The compute budget a facilitator sponsors at most. */
export interface ComputeBudgetCaps {
  maxComputeUnitPriceMicroLamports: bigint
  maxComputeUnitLimit: number
}

const POSITION = ['fourth', 'fifth', 'sixth'] as const

/** The layout's verdict: the TransferChecked instruction, or why the layout is wrong. */
export type Layout = { ok: true; transfer: DecodedInstruction } | Refusal

/**
 * The static layout of scheme_exact_svm.md §3.1: 3 to 6 instructions, exactly SetComputeUnitLimit then
 * SetComputeUnitPrice (within the caps), a single-signer TransferChecked of SPL Token or Token-2022, then
 * only Memo or Lighthouse instructions.
 */
export function checkLayout(instructions: DecodedInstruction[], policy: ComputeBudgetCaps): Layout {
  if (instructions.length < 3 || instructions.length > 6) {
    return refuse(
      'invalid_exact_svm_payload_transaction_instructions_length',
      `the transaction has ${instructions.length} instructions; expected 3 to 6 (compute limit, compute price, TransferChecked, then up to 3 Memo or Lighthouse)`,
    )
  }
  const [limit, price, transfer] = instructions as [
    DecodedInstruction,
    DecodedInstruction,
    DecodedInstruction,
  ]
  const units = readComputeBudget(limit, SET_COMPUTE_UNIT_LIMIT_DISCRIMINATOR, 5)
  if (units === undefined) {
    return refuse(
      'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction',
      'instruction 1 must be ComputeBudget SetComputeUnitLimit',
    )
  }
  if (units > BigInt(policy.maxComputeUnitLimit)) {
    return refuse(
      'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction_too_high',
      `compute unit limit ${units} exceeds this facilitator's cap of ${policy.maxComputeUnitLimit}`,
    )
  }
  const microLamports = readComputeBudget(price, SET_COMPUTE_UNIT_PRICE_DISCRIMINATOR, 9)
  if (microLamports === undefined) {
    return refuse(
      'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction',
      'instruction 2 must be ComputeBudget SetComputeUnitPrice',
    )
  }
  if (microLamports > policy.maxComputeUnitPriceMicroLamports) {
    return refuse(
      'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high',
      `compute unit price ${microLamports} microlamports exceeds the cap of ${policy.maxComputeUnitPriceMicroLamports}`,
    )
  }
  if (
    !isTokenProgram(transfer.programAddress) ||
    transfer.data.length !== 10 ||
    transfer.data[0] !== TRANSFER_CHECKED_DISCRIMINATOR ||
    transfer.accountIndices.length !== 4
  ) {
    return refuse(
      'invalid_exact_svm_payload_no_transfer_instruction',
      'instruction 3 must be a single-signer TransferChecked of SPL Token or Token-2022',
    )
  }
  for (const [offset, instruction] of instructions.slice(3).entries()) {
    const program = instruction.programAddress
    if (program !== MEMO_PROGRAM && program !== LIGHTHOUSE_PROGRAM) {
      const position = POSITION[offset] ?? 'optional'
      return refuse(
        `invalid_exact_svm_payload_unknown_${position}_instruction`,
        `instruction ${offset + 4} calls ${program}; after the transfer only Memo (${MEMO_PROGRAM}) and Lighthouse (${LIGHTHOUSE_PROGRAM}) are allowed`,
      )
    }
  }
  return { ok: true, transfer }
}

/** The u32/u64 argument of a ComputeBudget instruction with `discriminator` and exact `size`, else undefined. */
function readComputeBudget(
  instruction: DecodedInstruction,
  discriminator: number,
  size: number,
): bigint | undefined {
  const { data } = instruction
  if (
    instruction.programAddress !== COMPUTE_BUDGET_PROGRAM ||
    data.length !== size ||
    data[0] !== discriminator
  ) {
    return undefined
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  return size === 5 ? BigInt(view.getUint32(1, true)) : view.getBigUint64(1, true)
}
