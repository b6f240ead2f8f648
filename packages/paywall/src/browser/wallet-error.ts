/** A failure the page shows as is: its message is written for the person paying. */
export class PaywallError extends Error {
  override name = 'PaywallError'
}

/** The EIP-1193 error code of a wallet error, also when a wallet nests it (`data.originalError`). */
export function walletErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, data } = error as { code?: unknown; data?: { originalError?: { code?: unknown } } }
  if (typeof code === 'number') return code
  const nested = data?.originalError?.code
  return typeof nested === 'number' ? nested : undefined
}

/** A sentence for the status line from whatever a wallet, the network or the page threw. */
export function describeError(error: unknown): string {
  if (error instanceof PaywallError) return error.message
  if (walletErrorCode(error) === 4001) return 'The request was rejected in the wallet.'
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : ''
  if (/reject|denied|cancel/i.test(message)) return 'The request was rejected in the wallet.'
  return message === '' ? 'Something went wrong.' : message
}
