import type { PaymentRequirements } from '@open402/core'
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getBase64Encoder,
  getTransactionEncoder,
  type Instruction,
  isAddress,
  isBlockhash,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget'
import { findAssociatedTokenPda, getTransferCheckedInstruction } from '@solana-program/token'
import type { SolanaOfferParams } from '../paywall-data.js'
import { bytesToBase64, bytesToHex } from './base64.js'
import { solanaRpc } from './solana-rpc.js'
import { PaywallError } from './wallet-error.js'

// The transaction mirrors `@open402/svm`'s exactSvmClient (scheme_exact_svm.md §3.1): SetComputeUnitLimit,
// SetComputeUnitPrice, TransferChecked between the associated token accounts, then a Memo; the
// facilitator named in `extra.feePayer` pays the fee and co-signs.
const COMPUTE_UNIT_LIMIT = 20_000
const COMPUTE_UNIT_PRICE_MICROLAMPORTS = 1n
const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address
const TOKEN_PROGRAMS = [
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb',
]
const MAX_MEMO_BYTES = 256
// SPL Token's Mint layout (shared by Token-2022): decimals at byte 44, is_initialized at 45, 82 bytes.
const DECIMALS_OFFSET = 44
const MINT_SIZE = 82

/** What signs the payment: the owner's address and a wallet that signs the wire transaction. */
export interface SolanaPayer {
  address: string
  /** Whether to build a v0 transaction (else legacy). */
  v0: boolean
  /** Signs the serialized transaction (its fee payer slot left empty) and returns it signed. */
  sign(transaction: Uint8Array): Promise<Uint8Array>
}

/** Overrides for tests: a fixed blockhash and memo. */
export interface SolanaPaymentOptions {
  blockhash?: { blockhash: string; lastValidBlockHeight: bigint }
  memo?: string
}

/** Builds the exact SVM payment for `requirements`, has the wallet sign it, and returns `{ transaction }`. */
export async function createSolanaPayment(
  requirements: PaymentRequirements,
  params: SolanaOfferParams,
  payer: SolanaPayer,
  options: SolanaPaymentOptions = {},
): Promise<{ transaction: string }> {
  const feePayer = requirements.extra?.feePayer
  if (typeof feePayer !== 'string' || !isAddress(feePayer)) {
    throw new PaywallError("This offer cannot be paid: it does not name the facilitator's fee payer.")
  }
  const { payTo, asset: mint } = requirements
  if (!isAddress(payTo) || !isAddress(mint) || !isAddress(payer.address)) {
    throw new PaywallError('This offer cannot be paid: its mint and recipient must be Solana addresses.')
  }
  const memo = options.memo ?? memoOf(requirements)
  const [info, lifetime] = await Promise.all([
    params.mint ?? mintInfo(params.rpcUrl, mint),
    options.blockhash ?? blockhashOf(requirements, params.rpcUrl),
  ])
  const tokenProgram = info.tokenProgram as Address
  const owner = createNoopSigner(payer.address)
  const [[source], [destination]] = await Promise.all([
    findAssociatedTokenPda({ owner: owner.address, mint, tokenProgram }),
    findAssociatedTokenPda({ owner: payTo, mint, tokenProgram }),
  ])
  const instructions: Instruction[] = [
    getSetComputeUnitLimitInstruction({ units: COMPUTE_UNIT_LIMIT }),
    getSetComputeUnitPriceInstruction({ microLamports: COMPUTE_UNIT_PRICE_MICROLAMPORTS }),
    getTransferCheckedInstruction(
      {
        source,
        mint,
        destination,
        authority: owner,
        amount: BigInt(requirements.amount),
        decimals: info.decimals,
      },
      { programAddress: tokenProgram },
    ),
    { programAddress: MEMO_PROGRAM, data: new TextEncoder().encode(memo) },
  ]
  const message = pipe(
    createTransactionMessage({ version: payer.v0 ? 0 : 'legacy' }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        lifetime as { blockhash: Blockhash; lastValidBlockHeight: bigint },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  const unsigned = getTransactionEncoder().encode(compileTransaction(message))
  const signed = await payer.sign(new Uint8Array(unsigned))
  return { transaction: bytesToBase64(signed) }
}

function memoOf(requirements: PaymentRequirements): string {
  const memo = requirements.extra?.memo
  if (memo === undefined || memo === '') return bytesToHex(crypto.getRandomValues(new Uint8Array(16)))
  if (typeof memo !== 'string' || new TextEncoder().encode(memo).length > MAX_MEMO_BYTES) {
    throw new PaywallError(
      `This offer cannot be paid: extra.memo must be a string of at most ${MAX_MEMO_BYTES} bytes.`,
    )
  }
  return memo
}

function needRpc(rpcUrl: string | undefined): string {
  if (rpcUrl === undefined) {
    throw new PaywallError('This page has no Solana RPC for this network: the site must configure one.')
  }
  return rpcUrl
}

async function mintInfo(rpcUrl: string | undefined, mint: string) {
  const account = await solanaRpc<{ value: { owner: string; data: [string, string] } | null }>(
    needRpc(rpcUrl),
    'getAccountInfo',
    [mint, { encoding: 'base64', commitment: 'confirmed' }],
  )
  const value = account.value
  if (!value || !TOKEN_PROGRAMS.includes(value.owner)) {
    throw new PaywallError(`This offer cannot be paid: ${mint} is not a token mint on this network.`)
  }
  const data = getBase64Encoder().encode(value.data[0])
  const decimals = data[DECIMALS_OFFSET]
  if (data.length < MINT_SIZE || decimals === undefined || data[DECIMALS_OFFSET + 1] !== 1) {
    throw new PaywallError(`This offer cannot be paid: ${mint} is not an initialized mint.`)
  }
  return { decimals, tokenProgram: value.owner }
}

async function blockhashOf(requirements: PaymentRequirements, rpcUrl: string | undefined) {
  const hint = requirements.extra?.recentBlockhash
  if (typeof hint === 'string' && isBlockhash(hint)) {
    const height = requirements.extra?.lastValidBlockHeight
    const lastValidBlockHeight =
      typeof height === 'string' && /^[0-9]{1,20}$/.test(height) ? BigInt(height) : 0n
    return { blockhash: hint, lastValidBlockHeight }
  }
  const { value } = await solanaRpc<{ value: { blockhash: string; lastValidBlockHeight: number } }>(
    needRpc(rpcUrl),
    'getLatestBlockhash',
    [{ commitment: 'confirmed' }],
  )
  return { blockhash: value.blockhash, lastValidBlockHeight: BigInt(value.lastValidBlockHeight) }
}
