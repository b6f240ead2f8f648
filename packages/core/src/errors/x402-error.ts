/**
 * Codes of configuration and programming errors. Protocol outcomes (a payment that does not verify, a
 * settlement that failed) are values with a reason code from `reasons.ts`, never exceptions.
 */
export type X402ErrorCode =
  | 'invalid_config'
  | 'invalid_network'
  | 'invalid_price'
  | 'invalid_amount'
  | 'invalid_header'
  | 'invalid_x402_version'
  | 'header_too_large'
  | 'no_scheme_registered'
  | 'no_matching_requirements'
  | 'payment_refused_by_policy'
  | 'facilitator_unreachable'
  | 'facilitator_response_invalid'
  | 'facilitator_http_error'
  | 'payment_failed'
  | 'discovery_failed'
  | 'invalid_payment_identifier'

/** The one error class of open402: a code to branch on and a sentence that says what was wrong. */
export class X402Error extends Error {
  override readonly name = 'X402Error'
  constructor(
    readonly code: X402ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Whether `error` is an `X402Error`, optionally with the given code. */
export function isX402Error(error: unknown, code?: X402ErrorCode): error is X402Error {
  return error instanceof X402Error && (code === undefined || error.code === code)
}
