/**
 * The canonical URI of the A2A x402 extension v0.2 (a2a-x402 spec/v0.2 §2), declared in the agent card and
 * sent in `X-A2A-Extensions` to activate it.
 */
export const X402_EXTENSION_URI = 'https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2'

/** Earlier URIs of the extension (v0.1), accepted on activation so older clients still get served. */
export const X402_EXTENSION_LEGACY_URIS = [
  'https://github.com/google-a2a/a2a-x402/v0.1',
  'https://github.com/google-agentic-commerce/a2a-x402/blob/main/v0.1',
] as const

/** The HTTP header a client activates extensions with (A2A v0.3); A2A 1.0 spells it `A2A-Extensions`. */
export const EXTENSIONS_HEADER = 'X-A2A-Extensions'

/** Message metadata keys of the extension (a2a-x402 spec/v0.2 §7). */
export const X402_METADATA = {
  status: 'x402.payment.status',
  required: 'x402.payment.required',
  payload: 'x402.payment.payload',
  receipts: 'x402.payment.receipts',
  error: 'x402.payment.error',
} as const

/** Values of `x402.payment.status` (a2a-x402 spec/v0.2 §7). */
export const X402_PAYMENT_STATUS = {
  required: 'payment-required',
  submitted: 'payment-submitted',
  rejected: 'payment-rejected',
  verified: 'payment-verified',
  completed: 'payment-completed',
  failed: 'payment-failed',
} as const

export type X402PaymentStatus = (typeof X402_PAYMENT_STATUS)[keyof typeof X402_PAYMENT_STATUS]

/**
 * Codes of `x402.payment.error`: the spec's common codes (a2a-x402 spec/v0.2 §9.1), then three of
 * open402's for failures the spec's list does not name (the spec asks only for "a short error code").
 * The x402 reason code (e.g. `invalid_exact_evm_payload_signature`) is in the receipt's `errorReason`.
 */
export const PAYMENT_ERROR_CODES = [
  'INSUFFICIENT_FUNDS',
  'INVALID_SIGNATURE',
  'EXPIRED_PAYMENT',
  'DUPLICATE_NONCE',
  'NETWORK_MISMATCH',
  'INVALID_AMOUNT',
  'SETTLEMENT_FAILED',
  // open402: the payload is malformed, is for another task, or does not match the task's terms otherwise.
  'INVALID_PAYMENT',
  // open402: nothing could be decided (facilitator unreachable, a lifecycle hook failed); fail closed.
  'PAYMENT_UNAVAILABLE',
  // open402: the skill failed after the payment verified; nothing was settled.
  'SERVICE_FAILED',
] as const

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number]

/** JSON-RPC error codes answered by the serving agent (JSON-RPC 2.0 and A2A §8). */
export const JSON_RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  taskNotFound: -32001,
  taskNotCancelable: -32002,
  unsupportedOperation: -32004,
  /** A2A 1.0's code for a required extension the client did not activate. */
  extensionSupportRequired: -32008,
} as const
