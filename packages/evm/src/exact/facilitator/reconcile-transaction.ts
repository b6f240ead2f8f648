import type { ErrorReason, ReconcileOutcome, ReconcileTarget } from '@open402/core'
import type { Hex } from 'viem'
import { describeError } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'

const ALREADY_KNOWN = /already known|known transaction|already imported/i
// Another transaction holds the nonce: this one can never be mined.
const NONCE_USED = /nonce too low|nonce has already been used/i

/**
 * What the chain says about a settlement transaction recorded before its broadcast (RPC calls:
 * getTransactionReceipt; when there is none, getTransaction, and with `raw` one `eth_sendRawTransaction`
 * of the same signed bytes, which has the same hash and nonce, so it can never pay twice).
 */
export async function reconcileTransaction(
  runtime: NetworkRuntime,
  target: ReconcileTarget,
  revertReason: ErrorReason = 'invalid_exact_evm_transaction_failed',
): Promise<ReconcileOutcome> {
  const hash = target.transaction as Hex
  const { client, network } = runtime
  const payer = target.payer === undefined ? {} : { payer: target.payer }
  const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined)
  if (receipt) {
    if (receipt.status === 'success') {
      return {
        state: 'confirmed',
        response: { success: true, transaction: hash, network, ...payer, status: 'confirmed' },
      }
    }
    return {
      state: 'failed',
      response: {
        success: false,
        errorReason: revertReason,
        errorMessage: `transaction ${hash} reverted in block ${receipt.blockNumber}`,
        transaction: hash,
        network,
        ...payer,
        status: 'failed',
      },
    }
  }
  const known = await client.getTransaction({ hash }).then(
    () => true,
    () => false,
  )
  if (known || target.raw === undefined) return { state: 'unknown' }
  try {
    await client.request({ method: 'eth_sendRawTransaction', params: [target.raw as Hex] })
    return { state: 'unknown' }
  } catch (error) {
    const message = describeError(error)
    if (ALREADY_KNOWN.test(message) || !NONCE_USED.test(message)) return { state: 'unknown' }
    // The nonce went to another transaction; unless this one was mined meanwhile, it never will be.
    const late = await client.getTransactionReceipt({ hash }).catch(() => undefined)
    if (late) return reconcileTransaction(runtime, target, revertReason)
    return {
      state: 'failed',
      response: {
        success: false,
        errorReason: revertReason,
        errorMessage: `transaction ${hash} was never mined: its nonce was used by another transaction (${message})`,
        transaction: hash,
        network,
        ...payer,
        status: 'failed',
      },
    }
  }
}
