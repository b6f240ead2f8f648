import type { ErrorReason } from '@open402/core'

/**
 * The reason each verify rule answers: one rule, one reason, one test (test/verify.test.ts), so a refusal
 * says exactly which rule failed.
 *
 * TODO(real scheme): give the scheme its own codes. Add a list such as
 * `['invalid___SNAKE___ledger_signature', 'invalid___SNAKE___ledger_expired', …]` to core's registry
 * (packages/core/src/errors/reasons.ts: a new `as const` array spread into `REASONS` and the
 * `ErrorReason` union), then name them here. Until then the template answers with the closest codes the
 * registry already has (the conformance kit accepts only registered, non-generic codes), so some rules
 * share one: the message says which.
 */
export const __SCREAMING___REASONS = {
  scheme: 'invalid_scheme',
  network: 'invalid_network',
  payload: 'invalid_payload',
  recipient: 'payment_requirements_mismatch',
  asset: 'payment_requirements_mismatch',
  amount: 'payment_requirements_mismatch',
  expired: 'invalid_transaction_state',
  signature: 'invalid_payload',
  replay: 'duplicate_settlement',
  balance: 'insufficient_funds',
} as const satisfies Record<string, ErrorReason>
