import type { Address } from '@solana/kit'

/** The ComputeBudget program: `SetComputeUnitLimit` (discriminator 2) and `SetComputeUnitPrice` (3). */
export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111' as Address
/** The SPL Token program. */
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' as Address
/** The Token-2022 program; its `TransferChecked` has the SPL Token layout. */
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address
/** The SPL Memo program (v2) that the spec allows after the transfer. */
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address
/** Lighthouse, whose assertion instructions Phantom and Solflare inject after the transfer. */
export const LIGHTHOUSE_PROGRAM = 'L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95' as Address

/** Discriminators of the instructions the exact layout uses. */
export const SET_COMPUTE_UNIT_LIMIT_DISCRIMINATOR = 2
export const SET_COMPUTE_UNIT_PRICE_DISCRIMINATOR = 3
export const TRANSFER_CHECKED_DISCRIMINATOR = 12

/** Default cap on the compute unit price a facilitator pays: 5 lamports per CU (scheme_exact_svm.md §3.1). */
export const MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS = 5_000_000n
/** Default cap on the compute unit limit a facilitator accepts (scheme_exact_svm.md §2.2.1). */
export const MAX_COMPUTE_UNIT_LIMIT = 400_000
/** Longest memo `extra.memo` may carry, in UTF-8 bytes. */
export const MAX_MEMO_BYTES = 256

/** Whether `program` is SPL Token or Token-2022. */
export function isTokenProgram(program: string): boolean {
  return program === TOKEN_PROGRAM || program === TOKEN_2022_PROGRAM
}
