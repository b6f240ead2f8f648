import type { Hex, PublicClient, TransactionReceipt } from 'viem'

/**
 * Polls for a receipt until `timeoutMs` passes; `undefined` means none yet (the transaction may still be
 * mined). Starts immediately and backs off from 50 ms to `pollIntervalMs`; never waits forever.
 */
export async function waitForReceipt(
  client: PublicClient,
  hash: Hex,
  timeoutMs: number,
  pollIntervalMs: number,
): Promise<TransactionReceipt | undefined> {
  const deadline = Date.now() + timeoutMs
  let delay = Math.min(50, pollIntervalMs)
  for (;;) {
    const remaining = deadline - Date.now()
    if (remaining <= 0) return undefined
    const receipt = await withTimeout(
      client.getTransactionReceipt({ hash }).catch(() => undefined),
      remaining,
    )
    if (receipt) return receipt
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))))
    delay = Math.min(delay * 2, pollIntervalMs)
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
