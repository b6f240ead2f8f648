// Builds and signs Solana token transfers with Kit and @solana-program/token, for tests against the
// devnet's Solana JSON-RPC node.
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  type Instruction,
  pipe,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit'
import { getTransferCheckedInstruction } from '@solana-program/token'
import type { DevnetSvmAccount, DevnetSvmMint } from '../src/devnet-description.js'
import { svmAssociatedTokenAddress } from '../src/svm-genesis.js'

export function signerOf(account: DevnetSvmAccount) {
  return createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))
}

export interface SignedTransfer {
  /** Base64 wire transaction. */
  wire: ReturnType<typeof getBase64EncodedWireTransaction>
  signature: Signature
  lastValidBlockHeight: bigint
  source: string
  destination: string
}

/** A TransferChecked of `amount` from `from`'s ATA to `to`'s ATA, paid and signed by `feePayer` (default `from`). */
export async function signTransfer(
  rpc: Rpc<SolanaRpcApi>,
  options: {
    from: DevnetSvmAccount
    to: string
    amount: bigint
    mint: DevnetSvmMint
    feePayer?: DevnetSvmAccount
    blockhash?: string
    extraInstructions?: Instruction[]
  },
): Promise<SignedTransfer> {
  const owner = await signerOf(options.from)
  const feePayer = options.feePayer === undefined ? owner : await signerOf(options.feePayer)
  const { mint } = options
  const source = await svmAssociatedTokenAddress(options.from.address, mint.address, mint.tokenProgram)
  const destination = await svmAssociatedTokenAddress(options.to, mint.address, mint.tokenProgram)
  const latest =
    options.blockhash === undefined
      ? (await rpc.getLatestBlockhash().send()).value
      : { blockhash: options.blockhash as Blockhash, lastValidBlockHeight: 0n }
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) =>
      appendTransactionMessageInstructions(
        [
          ...(options.extraInstructions ?? []),
          getTransferCheckedInstruction(
            {
              source: source as Address,
              mint: mint.address as Address,
              destination: destination as Address,
              authority: owner,
              amount: options.amount,
              decimals: mint.decimals,
            },
            { programAddress: mint.tokenProgram as Address },
          ),
        ],
        m,
      ),
  )
  const transaction = await signTransactionMessageWithSigners(message)
  return {
    wire: getBase64EncodedWireTransaction(transaction),
    signature: getSignatureFromTransaction(transaction),
    lastValidBlockHeight: latest.lastValidBlockHeight,
    source,
    destination,
  }
}

/** Polls getSignatureStatuses until the signature has a status or `timeoutMs` passes. */
export async function waitForStatus(rpc: Rpc<SolanaRpcApi>, signature: Signature, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send()
    if (value[0] !== null || Date.now() > deadline) return value[0]
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** POSTs a raw JSON-RPC body and returns the parsed JSON answer. */
export async function rawRpc(rpcUrl: string, body: unknown): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.json()
}
