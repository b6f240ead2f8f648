import type { Caip2, ErrorReason, SettleResponse, VerifyResponse } from '@open402/core'

/** A refusal: a registry reason and a sentence saying what was wrong and what was expected. */
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

/** The wire form of a refusal at verify. */
export function toVerifyResponse(refusal: Refusal): VerifyResponse {
  const response: VerifyResponse = {
    isValid: false,
    invalidReason: refusal.reason,
    invalidMessage: refusal.message,
  }
  if (refusal.payer !== undefined) response.payer = refusal.payer
  return response
}

/** The wire form of a refusal at settle (nothing was sent, so no transaction). */
export function toSettleFailure(refusal: Refusal, network: Caip2): SettleResponse {
  const response: SettleResponse = {
    success: false,
    errorReason: refusal.reason,
    errorMessage: refusal.message,
    transaction: '',
    network,
    status: 'failed',
  }
  if (refusal.payer !== undefined) response.payer = refusal.payer
  return response
}

/** A one-line, bounded description of an unknown error, safe to put in a message (never a stack trace). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const line = text.split('\n')[0]?.trim() ?? ''
  return line.length > 200 ? `${line.slice(0, 197)}...` : line
}
