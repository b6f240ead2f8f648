import { REASONS } from '@open402/core'
import { expect, test } from 'vitest'
import { PAYMENT_ERROR_CODES } from './constants.js'
import { paymentErrorCode } from './payment-error-code.js'

test.each([
  ['insufficient_funds', 'INSUFFICIENT_FUNDS'],
  ['invalid_exact_evm_insufficient_balance', 'INSUFFICIENT_FUNDS'],
  ['permit2_insufficient_balance', 'INSUFFICIENT_FUNDS'],
  ['invalid_exact_evm_payload_signature', 'INVALID_SIGNATURE'],
  ['invalid_exact_svm_payload_signature_invalid', 'INVALID_SIGNATURE'],
  ['invalid_exact_evm_payload_authorization_valid_before', 'EXPIRED_PAYMENT'],
  ['permit2_deadline_expired', 'EXPIRED_PAYMENT'],
  ['invalid_exact_evm_nonce_already_used', 'DUPLICATE_NONCE'],
  ['duplicate_settlement', 'DUPLICATE_NONCE'],
  ['invalid_exact_evm_network_mismatch', 'NETWORK_MISMATCH'],
  ['invalid_network', 'NETWORK_MISMATCH'],
  ['invalid_exact_evm_authorization_value', 'INVALID_AMOUNT'],
  ['invalid_exact_svm_payload_amount_mismatch', 'INVALID_AMOUNT'],
  ['invalid_exact_evm_transaction_failed', 'SETTLEMENT_FAILED'],
  ['unexpected_settle_error', 'SETTLEMENT_FAILED'],
  ['facilitator_unavailable', 'PAYMENT_UNAVAILABLE'],
  ['before_verify_hook_error', 'PAYMENT_UNAVAILABLE'],
  ['invalid_payload', 'INVALID_PAYMENT'],
  ['invalid_exact_evm_recipient_mismatch', 'INVALID_PAYMENT'],
])('the x402 reason %s is reported as %s', (reason, code) => {
  expect(paymentErrorCode(reason)).toBe(code)
})

test('every registered x402 reason maps to one of the extension error codes', () => {
  for (const reason of REASONS) expect(PAYMENT_ERROR_CODES).toContain(paymentErrorCode(reason))
})
