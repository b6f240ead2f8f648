/**
 * The registry of reason codes carried in `invalidReason` / `errorReason` and in 402 `error` fields.
 * It starts from the spec's list (x402-specification-v2.md §9) and adds the scheme-specific codes that
 * open402 and the official implementation return, so that a peer's code can always be recognised.
 */
export const SPEC_REASONS = [
  'insufficient_funds',
  'invalid_network',
  'invalid_payload',
  'invalid_payment_requirements',
  'invalid_scheme',
  'unsupported_scheme',
  'invalid_x402_version',
  'invalid_transaction_state',
  'unexpected_verify_error',
  'unexpected_settle_error',
  'invalid_exact_evm_payload_authorization_valid_after',
  'invalid_exact_evm_payload_authorization_valid_before',
  'invalid_exact_evm_payload_authorization_value_mismatch',
  'invalid_exact_evm_payload_signature',
  'invalid_exact_evm_payload_recipient_mismatch',
  'duplicate_settlement',
] as const

/** Codes of the exact scheme on EVM beyond the spec's list (names shared with the official packages). */
export const EXACT_EVM_REASONS = [
  'invalid_exact_evm_scheme',
  'invalid_exact_evm_network_mismatch',
  'invalid_exact_evm_asset_mismatch',
  'invalid_exact_evm_missing_eip712_domain',
  'invalid_exact_evm_recipient_mismatch',
  'invalid_exact_evm_signature',
  'invalid_exact_evm_payload_authorization_valid_before',
  'invalid_exact_evm_payload_authorization_valid_after',
  'invalid_exact_evm_authorization_value',
  'invalid_exact_evm_payload_undeployed_smart_wallet',
  'invalid_exact_evm_transaction_failed',
  'invalid_exact_evm_token_name_mismatch',
  'invalid_exact_evm_token_version_mismatch',
  'invalid_exact_evm_eip3009_not_supported',
  'invalid_exact_evm_nonce_already_used',
  'invalid_exact_evm_insufficient_balance',
  'invalid_exact_evm_transaction_simulation_failed',
  'invalid_exact_evm_settlement_timeout',
  // Permit2 (`extra.assetTransferMethod: "permit2"`, the x402 exact Permit2 proxy)
  'invalid_permit2_spender',
  'invalid_permit2_recipient_mismatch',
  'permit2_deadline_expired',
  'permit2_not_yet_valid',
  'permit2_amount_mismatch',
  'permit2_token_mismatch',
  'invalid_permit2_signature',
  'permit2_allowance_required',
  'permit2_simulation_failed',
  'permit2_insufficient_balance',
  'permit2_proxy_not_deployed',
  'permit2_invalid_amount',
  'permit2_invalid_destination',
  'permit2_invalid_owner',
  'permit2_invalid_nonce',
  'permit2_payment_too_early',
  'permit2_2612_amount_mismatch',
  // the eip2612GasSponsoring extension (an EIP-2612 permit for Permit2 in the payment's extensions)
  'invalid_eip2612_extension_format',
  'eip2612_from_mismatch',
  'eip2612_asset_mismatch',
  'eip2612_spender_not_permit2',
  'eip2612_deadline_expired',
  'unsupported_payload_type',
] as const

/**
 * Codes of the upto scheme on EVM (names shared with the official packages; `invalid_upto_evm_asset_mismatch`
 * is open402's own). Its Permit2 checks use the Permit2 codes above. (Not exported yet, so core's export
 * snapshot stays unchanged; `REASONS` includes it.)
 */
const UPTO_EVM_REASONS = [
  'invalid_upto_evm_scheme',
  'invalid_upto_evm_network_mismatch',
  'invalid_upto_evm_asset_mismatch',
  'invalid_upto_evm_payload_settlement_exceeds_amount',
  'invalid_upto_evm_transaction_failed',
  'upto_amount_exceeds_permitted',
  'upto_unauthorized_facilitator',
  'upto_facilitator_mismatch',
] as const

/**
 * Codes of the exact scheme on Solana. The first group are the official packages' names (the V1 / spec
 * list in x402-v2.md §1.6 and `@x402/svm` 2.x), the second open402's own codes for rules the official
 * implementation does not check, the last the official 2.x prefixed spellings, listed so peers' codes are
 * recognised. (Not exported yet, so core's export snapshot stays unchanged; `REASONS` includes it.)
 */
const EXACT_SVM_REASONS = [
  'network_mismatch',
  'fee_payer_not_managed_by_facilitator',
  'invalid_exact_svm_unsupported_scheme',
  'invalid_exact_svm_network_mismatch',
  'invalid_exact_svm_fee_payer_mismatch',
  'invalid_exact_svm_payload_missing_fee_payer',
  'invalid_exact_svm_payload_transaction_could_not_be_decoded',
  'invalid_exact_svm_payload_signature_invalid',
  'invalid_exact_svm_payload_excessive_signers',
  'invalid_exact_svm_payload_transaction_instructions_length',
  'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction',
  'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction_too_high',
  'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction',
  'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high',
  'invalid_exact_svm_payload_no_transfer_instruction',
  'invalid_exact_svm_payload_transaction_fee_payer_transferring_funds',
  'invalid_exact_svm_payload_mint_mismatch',
  'invalid_exact_svm_payload_recipient_mismatch',
  'invalid_exact_svm_payload_amount_mismatch',
  'invalid_exact_svm_payload_unknown_fourth_instruction',
  'invalid_exact_svm_payload_unknown_fifth_instruction',
  'invalid_exact_svm_payload_unknown_sixth_instruction',
  'invalid_exact_svm_payload_unknown_seventh_instruction',
  'invalid_exact_svm_payload_unknown_optional_instruction',
  'invalid_exact_svm_payload_memo_count',
  'invalid_exact_svm_payload_memo_mismatch',
  'transaction_simulation_failed',
  'transaction_failed',
  // open402's own
  'invalid_exact_svm_asset_mismatch',
  'invalid_exact_svm_recipient_mismatch',
  'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
  'invalid_exact_svm_payload_address_lookup_tables',
  // official 2.x prefixed spellings
  'invalid_exact_svm_fee_payer_not_managed_by_facilitator',
  'invalid_exact_svm_transaction_simulation_failed',
  'invalid_exact_svm_transaction_failed',
  'invalid_exact_svm_verification_failed',
] as const

/** Codes a resource server or facilitator service returns around the schemes. */
export const SERVER_REASONS = [
  'payment_required',
  'invalid_payment_header',
  'payment_requirements_mismatch',
  'facilitator_unavailable',
  'settlement_failed',
  'settlement_pending',
  'ledger_unavailable',
  'handler_failed',
  'invalid_settlement_override',
  'invalid_request_body',
  'not_found',
  // payment-identifier (idempotency, README "Idempotency (payment-identifier)")
  'invalid_payment_identifier',
  'payment_identifier_required',
  'payment_identifier_conflict',
  'payment_identifier_in_progress',
  'idempotency_store_unavailable',
  // sign-in-with-x (a refused SIGN-IN-WITH-X header; `@open402/siwx`)
  'siwx_invalid_header',
  'siwx_domain_mismatch',
  'siwx_uri_mismatch',
  'siwx_expired',
  'siwx_not_yet_valid',
  'siwx_nonce_reused',
  'siwx_unsupported_chain',
  'siwx_invalid_signature',
] as const

/** Codes generated by lifecycle hooks (names shared with the official packages). */
export const HOOK_REASONS = [
  'before_verify_hook_error',
  'before_settle_hook_error',
  // open402's own: the other hooks of the lifecycle (see the README's "Lifecycle hooks")
  'after_verify_hook_error',
  'after_settle_hook_error',
  'verify_failure_hook_error',
  'settle_failure_hook_error',
  // open402's own: the HTTP payment handler's `access` and `declareExtensions` options
  'access_hook_error',
] as const

export const REASONS = [
  ...new Set([
    ...SPEC_REASONS,
    ...EXACT_EVM_REASONS,
    ...UPTO_EVM_REASONS,
    ...EXACT_SVM_REASONS,
    ...SERVER_REASONS,
    ...HOOK_REASONS,
  ]),
]

/** A reason code from the registry. */
export type ErrorReason =
  | (typeof SPEC_REASONS)[number]
  | (typeof EXACT_EVM_REASONS)[number]
  | (typeof UPTO_EVM_REASONS)[number]
  | (typeof EXACT_SVM_REASONS)[number]
  | (typeof SERVER_REASONS)[number]
  | (typeof HOOK_REASONS)[number]

const KNOWN = new Set<string>(REASONS)

/** Whether `value` is a reason code in the registry. */
export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === 'string' && KNOWN.has(value)
}
