import {
  type Base64EncodedWireTransaction,
  isSolanaError,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED,
} from '@solana/kit'
import { describeError } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { executionGist } from './simulate.js'

/**
 * What happened to `sendTransaction`: `sent`; `rejected` by the node, so nothing will land (its preflight
 * simulation failed or it refused the request); `unknown` when the request failed in transit and the
 * transaction may still land.
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'rejected'; preflight: boolean; alreadyProcessed: boolean; message: string }
  | { kind: 'unknown'; message: string }

/** Sends a signed wire transaction; with `skipPreflight` false the node simulates it first. */
export async function sendTransaction(
  runtime: NetworkRuntime,
  wire: string,
  skipPreflight: boolean,
): Promise<SendOutcome> {
  try {
    await runtime.rpc
      .sendTransaction(wire as Base64EncodedWireTransaction, {
        encoding: 'base64',
        skipPreflight,
        preflightCommitment: 'confirmed',
      })
      .send()
    return { kind: 'sent' }
  } catch (error) {
    if (isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)) {
      const { logs } = error.context as { logs?: readonly string[] | null }
      const cause = error.cause
      return {
        kind: 'rejected',
        preflight: true,
        alreadyProcessed: isSolanaError(cause, SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED),
        message: `the transaction fails in preflight: ${executionGist(describeError(cause ?? error), logs)}`,
      }
    }
    if (isSolanaError(error) && isJsonRpcErrorCode(error.context.__code)) {
      const message = describeError(error)
      return {
        kind: 'rejected',
        preflight: false,
        alreadyProcessed: /already been processed/i.test(message),
        message,
      }
    }
    return { kind: 'unknown', message: describeError(error) }
  }
}

/** JSON-RPC error codes (the node answered with an error) as opposed to Kit's transport error codes. */
function isJsonRpcErrorCode(code: number): boolean {
  return code <= -32000 && code >= -32768
}
