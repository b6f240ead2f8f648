/** How reads from a chain RPC are retried: never a transaction send, whose retry could submit it twice. */
export interface RpcRetryOptions {
  /** Retries after the first failed attempt (default 2). */
  retries: number
  /** Delay before the first retry in ms, doubled for each next one (default 150). */
  retryDelayMs: number
}

/** The default read retry: two retries after 150 ms and 300 ms. */
export const DEFAULT_RPC_RETRY: RpcRetryOptions = { retries: 2, retryDelayMs: 150 }

/**
 * JSON-RPC methods that submit a transaction. They are sent once: a retry after a timeout could reach a node
 * that already accepted the first attempt. (The schemes look the transaction up by hash instead.)
 */
export const SEND_METHODS: ReadonlySet<string> = new Set([
  'eth_sendRawTransaction',
  'eth_sendTransaction',
  'sendTransaction',
])
