import type { ReconcileOutcome, ReconcileTarget } from '@open402/core'
import type { Signature } from '@solana/kit'
import type { NetworkRuntime } from './network-runtime.js'
import { sendTransaction } from './send-transaction.js'
import { executionGist } from './simulate.js'

// The transaction's blockhash is too old: it can never land any more.
const BLOCKHASH_EXPIRED = /blockhash ?not ?found|block ?height ?exceeded|expired/i

/**
 * What the chain says about a settlement transaction recorded before its broadcast (RPC calls:
 * getSignatureStatuses with history; when it is unknown and `raw` was recorded, one sendTransaction of the
 * same signed bytes with preflight: the same signature, so it can never pay twice, and a node refusing it
 * for an expired blockhash proves it never will land).
 */
export async function reconcileSignature(
  runtime: NetworkRuntime,
  target: ReconcileTarget,
): Promise<ReconcileOutcome> {
  const { network, rpc } = runtime
  const signature = target.transaction as Signature
  const payer = target.payer === undefined ? {} : { payer: target.payer }
  const { value } = await rpc.getSignatureStatuses([signature], { searchTransactionHistory: true }).send()
  const status = value[0]
  if (status) {
    if (status.err) {
      return {
        state: 'failed',
        response: {
          success: false,
          errorReason: 'transaction_failed',
          errorMessage: `transaction ${signature} failed on chain: ${executionGist(status.err)}`,
          transaction: signature,
          network,
          ...payer,
          status: 'failed',
        },
      }
    }
    if (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized') {
      return {
        state: 'confirmed',
        response: { success: true, transaction: signature, network, ...payer, status: 'confirmed' },
      }
    }
    return { state: 'unknown' }
  }
  if (target.raw === undefined) return { state: 'unknown' }
  const outcome = await sendTransaction(runtime, target.raw, false)
  if (outcome.kind === 'rejected' && !outcome.alreadyProcessed && BLOCKHASH_EXPIRED.test(outcome.message)) {
    return {
      state: 'failed',
      response: {
        success: false,
        errorReason: 'transaction_failed',
        errorMessage: `transaction ${signature} never landed and its blockhash expired`,
        transaction: signature,
        network,
        ...payer,
        status: 'failed',
      },
    }
  }
  return { state: 'unknown' }
}
