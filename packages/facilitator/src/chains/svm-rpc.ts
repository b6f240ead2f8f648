import {
  createDefaultRpcTransport,
  createSolanaRpcFromTransport,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit'
import { DEFAULT_RPC_RETRY, type RpcRetryOptions, SEND_METHODS } from './rpc-retry.js'

/**
 * A Kit `Rpc` over HTTP whose reads are retried with exponential backoff on connection failures and HTTP
 * 429/5xx, while `sendTransaction` goes out exactly once (a retry could broadcast a settlement twice).
 */
export function createSvmRpc(url: string, retry: RpcRetryOptions = DEFAULT_RPC_RETRY): Rpc<SolanaRpcApi> {
  const transport = createDefaultRpcTransport({ url })
  const retrying: typeof transport = async (config) => {
    const method = (config.payload as { method?: unknown } | undefined)?.method
    const attempts = typeof method === 'string' && SEND_METHODS.has(method) ? 1 : retry.retries + 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await transport(config)
      } catch (error) {
        if (attempt >= attempts || config.signal?.aborted || !isRetryable(error)) throw error
        await sleep(retry.retryDelayMs * 2 ** (attempt - 1), config.signal)
      }
    }
  }
  return createSolanaRpcFromTransport(retrying)
}

/** A connection failure (fetch throws) or an HTTP status worth retrying; not a 4xx refusal. */
function isRetryable(error: unknown): boolean {
  const status = (error as { context?: { statusCode?: unknown } })?.context?.statusCode
  if (typeof status === 'number') return status === 408 || status === 429 || status >= 500
  return true
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
