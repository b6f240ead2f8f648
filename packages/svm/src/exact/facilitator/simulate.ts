import type { Base64EncodedWireTransaction } from '@solana/kit'
import { describeError, type Refusal, refuse } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'

/**
 * Simulates the co-signed transaction with signature verification (one `simulateTransaction`). Success
 * proves the balance, the destination account, the mint's program and decimals, and the blockhash.
 */
export async function simulate(
  runtime: NetworkRuntime,
  wire: string,
  payer: string,
): Promise<Refusal | undefined> {
  let result: { err: unknown; logs: readonly string[] | null }
  try {
    const { value } = await runtime.rpc
      .simulateTransaction(wire as Base64EncodedWireTransaction, {
        encoding: 'base64',
        sigVerify: true,
        replaceRecentBlockhash: false,
        commitment: 'confirmed',
      })
      .send()
    result = value
  } catch (error) {
    return refuse(
      'unexpected_verify_error',
      `could not simulate the transaction on ${runtime.network}: ${describeError(error)}`,
      payer,
    )
  }
  if (result.err === null || result.err === undefined) return undefined
  return refuse(
    'transaction_simulation_failed',
    `the transaction fails in simulation: ${executionGist(result.err, result.logs)}`,
    payer,
  )
}

/** A one-line account of a failed execution: the error and the most telling program log line. */
export function executionGist(err: unknown, logs?: readonly string[] | null): string {
  const error = stringify(err)
  const lines = [...(logs ?? [])].reverse()
  // Programs explain themselves in "Program log: Error: …"; the runtime's "… failed: …" line comes next.
  const telling =
    lines.find((line) => /^Program log: Error/i.test(line)) ??
    lines.find((line) => /failed|insufficient|error/i.test(line)) ??
    lines[0]
  const gist = telling ? `${error}: ${telling}` : error
  return gist.length > 300 ? `${gist.slice(0, 297)}...` : gist
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? Number(item) : item))
  } catch {
    return String(value)
  }
}
