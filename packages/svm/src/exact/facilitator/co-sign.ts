import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  type Signature,
  type Transaction,
  type TransactionPartialSigner,
} from '@solana/kit'

/** A transaction signed by the fee payer too, in wire form, with its signature (the fee payer's). */
export interface CoSignedTransaction {
  wire: string
  signature: Signature
}

/** Adds the fee payer's signature to a transaction the client signed; local, no RPC. */
export async function coSign(
  transaction: Transaction,
  feePayer: TransactionPartialSigner,
): Promise<CoSignedTransaction> {
  // The decoded transaction lacks Kit's lifetime/size brands, which only guide construction.
  const [signatures] = await feePayer.signTransactions([
    transaction as Parameters<typeof feePayer.signTransactions>[0][number],
  ])
  const signed: Transaction = { ...transaction, signatures: { ...transaction.signatures, ...signatures } }
  return { wire: getBase64EncodedWireTransaction(signed), signature: getSignatureFromTransaction(signed) }
}
