import {
  type Address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit'
import {
  getCreateAssociatedTokenIdempotentInstruction,
  getMintToCheckedInstruction,
} from '@solana-program/token'
import type { DevnetDescription, DevnetSvmMint } from './devnet-description.js'
import { svmAssociatedTokenAddress } from './svm-genesis.js'
import { createSvmRpc, resolveSvmMint } from './svm-rpc.js'

const CONFIRM_TIMEOUT_MS = 10_000

/**
 * Mints devnet tokens (atomic units, 6 decimals) to `owner`'s associated token account, creating it if
 * needed, with an ordinary transaction signed by the mint authority and sent over JSON-RPC; resolves once
 * it is confirmed; returns the transaction's signature. USDC under SPL Token unless `mint` names the
 * Token-2022 mint (by description or address).
 *
 * @example
 * await mintSvmTokens(devnet, owner.address, 5_000_000n) // 5 USDC
 */
export async function mintSvmTokens(
  devnet: Pick<DevnetDescription, 'svm'>,
  owner: string,
  amount: bigint,
  mint?: DevnetSvmMint | string,
): Promise<string> {
  const rpc = createSvmRpc(devnet)
  const { address, tokenProgram, decimals } = await resolveSvmMint(devnet, mint)
  const authority = await createKeyPairSignerFromBytes(
    getBase58Encoder().encode(devnet.svm.mintAuthority.secretKey),
  )
  const ata = (await svmAssociatedTokenAddress(owner, address, tokenProgram)) as Address
  const { value: lifetime } = await rpc.getLatestBlockhash().send()
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(authority, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) =>
      appendTransactionMessageInstructions(
        [
          getCreateAssociatedTokenIdempotentInstruction({
            payer: authority,
            ata,
            owner: owner as Address,
            mint: address as Address,
            tokenProgram: tokenProgram as Address,
          }),
          getMintToCheckedInstruction(
            { mint: address as Address, token: ata, mintAuthority: authority, amount, decimals },
            { programAddress: tokenProgram as Address },
          ),
        ],
        m,
      ),
  )
  const transaction = await signTransactionMessageWithSigners(message)
  await rpc.sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64' }).send()
  const signature = getSignatureFromTransaction(transaction)
  const deadline = Date.now() + CONFIRM_TIMEOUT_MS
  while (Date.now() < deadline) {
    const { value } = await rpc.getSignatureStatuses([signature]).send()
    const status = value[0]
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') {
      if (status.err !== null) {
        const detail = JSON.stringify(status.err, (_key, value) =>
          typeof value === 'bigint' ? Number(value) : value,
        )
        throw new Error(`devnet mint transaction ${signature} failed: ${detail}`)
      }
      return signature
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`devnet mint transaction ${signature} was not confirmed within ${CONFIRM_TIMEOUT_MS} ms`)
}
