import { http, type Transport } from 'viem'
import { DEFAULT_RPC_RETRY, type RpcRetryOptions, SEND_METHODS } from './rpc-retry.js'

/**
 * A viem HTTP transport that retries reads with exponential backoff (viem's own retry: 429, 5xx and
 * connection failures) but sends `eth_sendRawTransaction` exactly once, so that a settlement is never
 * broadcast twice because of a retry.
 */
export function createEvmRpcTransport(url: string, retry: RpcRetryOptions = DEFAULT_RPC_RETRY): Transport {
  const reads = http(url, { retryCount: retry.retries, retryDelay: retry.retryDelayMs })
  const sends = http(url, { retryCount: 0 })
  return (parameters) => {
    const read = reads(parameters)
    const send = sends(parameters)
    return {
      ...read,
      request: ((args, options) =>
        SEND_METHODS.has(args.method)
          ? send.request(args, { ...options, retryCount: 0 })
          : read.request(args, options)) as typeof read.request,
    }
  }
}
