import type { Rpc, Signature, SolanaRpcApi } from '@solana/kit'

/** Where a sent transaction stands after waiting. */
export type SignatureOutcome =
  | { status: 'confirmed' }
  | { status: 'failed'; err: unknown }
  | { status: 'timeout' }

/**
 * Polls `getSignatureStatuses` until the transaction is confirmed (or finalized), fails, or `timeoutMs`
 * passes. The first polls come sooner than `pollIntervalMs`; RPC errors count as "not yet".
 */
export async function waitForSignature(
  rpc: Rpc<SolanaRpcApi>,
  signature: Signature,
  timeoutMs: number,
  pollIntervalMs: number,
): Promise<SignatureOutcome> {
  const deadline = Date.now() + timeoutMs
  let pause = Math.min(100, pollIntervalMs)
  for (;;) {
    try {
      const { value } = await rpc.getSignatureStatuses([signature]).send()
      const status = value[0]
      if (
        status &&
        (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized')
      ) {
        return status.err ? { status: 'failed', err: status.err } : { status: 'confirmed' }
      }
    } catch {
      // A flaky RPC is not an answer: keep polling until the deadline.
    }
    const left = deadline - Date.now()
    if (left <= 0) return { status: 'timeout' }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)))
    pause = Math.min(pause * 2, pollIntervalMs)
  }
}
