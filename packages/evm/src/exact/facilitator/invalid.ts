import type { ErrorReason, VerifyResponse } from '@open402/core'

/** A refusal of `verify`: a registry reason and a sentence saying what was wrong and what was expected. */
export interface Refusal {
  ok: false
  reason: ErrorReason
  message: string
  payer?: string
}

/** Builds a {@link Refusal}. */
export function refuse(reason: ErrorReason, message: string, payer?: string): Refusal {
  return payer === undefined ? { ok: false, reason, message } : { ok: false, reason, message, payer }
}

/** The wire form of a refusal. */
export function toVerifyResponse(refusal: Refusal): VerifyResponse {
  const response: VerifyResponse = {
    isValid: false,
    invalidReason: refusal.reason,
    invalidMessage: refusal.message,
  }
  if (refusal.payer !== undefined) response.payer = refusal.payer
  return response
}

/** A one-line, bounded description of an unknown error, safe to put in a message (never a stack trace). */
export function describeError(error: unknown): string {
  const candidate =
    typeof error === 'object' &&
    error !== null &&
    'shortMessage' in error &&
    typeof error.shortMessage === 'string'
      ? error.shortMessage
      : error instanceof Error
        ? error.message
        : String(error)
  let line = candidate.split('\n')[0]?.trim() ?? ''
  // viem's short message for a node's JSON-RPC error is generic ("Missing or invalid parameters."); the
  // node's own words ("nonce too low", "already known") are in `details`.
  const details = nodeDetails(error)
  if (details && !line.includes(details)) line = `${line} (${details})`
  return line.length > 200 ? `${line.slice(0, 197)}...` : line
}

function nodeDetails(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return undefined
    const details = (current as { details?: unknown }).details
    if (typeof details === 'string' && details.trim() !== '') return details.split('\n')[0]?.trim()
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
