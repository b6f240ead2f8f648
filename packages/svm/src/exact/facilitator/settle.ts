import type {
  PaymentPayload,
  PaymentRequirements,
  SettleContext,
  SettlementGuard,
  SettleResponse,
} from '@open402/core'
import type { Signature, TransactionPartialSigner } from '@solana/kit'
import type { SponsorPolicy } from './check-transaction.js'
import { toSettleFailure } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { sendTransaction } from './send-transaction.js'
import { executionGist, simulate } from './simulate.js'
import { verifyPayment } from './verify.js'
import { waitForSignature } from './wait-for-signature.js'

/** Settlement knobs shared by every network of a facilitator. */
export interface SettleOptions {
  simulateInSettle: boolean
  confirmTimeoutMs: number
  pollIntervalMs: number
  guard: SettlementGuard
}

/**
 * Re-checks every rule, co-signs, claims the transaction's signature in the guard (one settlement per
 * transaction, however often or concurrently it is submitted), checks that the chain does not have it yet,
 * sends it and polls its status until confirmed or the timeout, which reports `settlement_pending` with
 * the signature. RPC calls: getSignatureStatuses, sendTransaction (with preflight unless simulateInSettle,
 * which adds simulateTransaction), then getSignatureStatuses until confirmed.
 */
export async function settlePayment(
  runtime: NetworkRuntime,
  signers: ReadonlyMap<string, TransactionPartialSigner>,
  policy: SponsorPolicy,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: SettleOptions,
  context: SettleContext = {},
): Promise<SettleResponse> {
  const { network } = runtime
  const verified = await verifyPayment(runtime, signers, policy, payload, requirements, {
    simulate: false,
  })
  if (!verified.ok) return toSettleFailure(verified, network)
  const { payer, signature, wire } = verified
  // The fee payer's ed25519 signature is deterministic: it names this message, which is what the chain dedupes.
  if (!(await options.guard.acquire(signature))) {
    return toSettleFailure(
      {
        ok: false,
        reason: 'duplicate_settlement',
        message: `transaction ${signature} is being settled or was already settled`,
        payer,
      },
      network,
    )
  }
  let sent = false
  try {
    if (options.simulateInSettle) {
      const failure = await simulate(runtime, wire, payer)
      if (failure) return toSettleFailure(failure, network)
    }
    if (await hasLanded(runtime, signature)) {
      sent = true
      return toSettleFailure(
        {
          ok: false,
          reason: 'duplicate_settlement',
          message: `transaction ${signature} already landed on ${network}`,
          payer,
        },
        network,
      )
    }
    // The signature is known once co-signed: record it before the broadcast, and do not send if refused.
    if (context.beforeBroadcast && !(await context.beforeBroadcast({ transaction: signature, raw: wire }))) {
      return toSettleFailure(
        {
          ok: false,
          reason: 'duplicate_settlement',
          message: `transaction ${signature} is being settled elsewhere; nothing was sent`,
          payer,
        },
        network,
      )
    }
    const outcome = await sendTransaction(runtime, wire, options.simulateInSettle)
    if (outcome.kind === 'rejected') {
      if (outcome.alreadyProcessed) {
        sent = true
        return toSettleFailure(
          {
            ok: false,
            reason: 'duplicate_settlement',
            message: `transaction ${signature} was already processed on ${network}`,
            payer,
          },
          network,
        )
      }
      return toSettleFailure(
        {
          ok: false,
          reason: outcome.preflight ? 'transaction_simulation_failed' : 'transaction_failed',
          message: outcome.preflight
            ? outcome.message
            : `the node refused the transaction: ${outcome.message}`,
          payer,
        },
        network,
      )
    }
    // Sent, or maybe sent (a transport failure): from here the signature may land, so it stays claimed.
    sent = true
    const result = await waitForSignature(
      runtime.rpc,
      signature,
      options.confirmTimeoutMs,
      options.pollIntervalMs,
    )
    if (result.status === 'confirmed') {
      return { success: true, transaction: signature, network, payer, status: 'confirmed' }
    }
    if (result.status === 'failed') {
      return {
        success: false,
        errorReason: 'transaction_failed',
        errorMessage: `transaction ${signature} failed on chain: ${executionGist(result.err)}`,
        transaction: signature,
        network,
        payer,
        status: 'failed',
      }
    }
    return {
      success: false,
      errorReason: 'settlement_pending',
      errorMessage: `transaction ${signature} was ${outcome.kind === 'sent' ? 'sent' : `perhaps sent (${outcome.message})`} but not confirmed within ${options.confirmTimeoutMs} ms; it may still land`,
      transaction: signature,
      network,
      payer,
      status: 'pending',
    }
  } finally {
    await options.guard.release(signature, sent)
  }
}

/**
 * Whether the chain already has this signature: the guard only knows this process's settlements, and a
 * node drops a resent transaction silently, so without this check a second facilitator instance (or this
 * one after a restart) would report someone else's settlement as its own success. One RPC call; an RPC
 * failure counts as "not landed" (the send that follows will tell).
 */
async function hasLanded(runtime: NetworkRuntime, signature: Signature): Promise<boolean> {
  try {
    const { value } = await runtime.rpc
      .getSignatureStatuses([signature], { searchTransactionHistory: true })
      .send()
    return value[0] != null
  } catch {
    return false
  }
}
