import type { PaymentErrorCode } from './constants.js'

// Ordered: the first rule whose pattern matches the x402 reason code names the extension's error code.
const RULES: [RegExp, PaymentErrorCode][] = [
  [/insufficient_(funds|balance)/, 'INSUFFICIENT_FUNDS'],
  [/signature/, 'INVALID_SIGNATURE'],
  [/valid_before|expired|block_height_exceeded|deadline/, 'EXPIRED_PAYMENT'],
  [/nonce_already_used|duplicate_settlement|nonce/, 'DUPLICATE_NONCE'],
  [/network/, 'NETWORK_MISMATCH'],
  [/amount|value_mismatch|authorization_value/, 'INVALID_AMOUNT'],
  [/^(facilitator_unavailable|.*_hook_error)$/, 'PAYMENT_UNAVAILABLE'],
  [/settle|transaction_failed|transaction_simulation_failed|settlement/, 'SETTLEMENT_FAILED'],
]

/**
 * The `x402.payment.error` code (a2a-x402 spec/v0.2 §9.1) for an x402 reason code, e.g.
 * `invalid_exact_evm_payload_signature` → `INVALID_SIGNATURE`; reasons none of the spec's codes names are
 * `INVALID_PAYMENT`.
 * @example paymentErrorCode('invalid_exact_evm_insufficient_balance') // 'INSUFFICIENT_FUNDS'
 */
export function paymentErrorCode(reason: string): PaymentErrorCode {
  return RULES.find(([pattern]) => pattern.test(reason))?.[1] ?? 'INVALID_PAYMENT'
}
