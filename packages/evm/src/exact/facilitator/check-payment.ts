import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import { type Address, getAddress, type Hex, isAddress } from 'viem'
import { parseExactEvmPayload } from '../../shared/exact-evm-payload.js'
import type { TransferAuthorization } from '../../shared/transfer-with-authorization.js'
import { type Refusal, refuse } from './invalid.js'

/** A payment whose fields all bind to the requirements; its signature is not checked yet. */
export interface CheckedPayment {
  ok: true
  payer: Address
  asset: Address
  authorization: TransferAuthorization
  signature: Hex
  domain: { name: string; version: string }
}

/** Seconds of validity an authorization must still have, so it is valid when the transaction is mined. */
export const VALID_BEFORE_BUFFER_SECONDS = 6

/**
 * The rules that need no chain: scheme, network, asset, EIP-712 domain, payload shape, recipient, exact
 * amount and time window. Each failed rule has its own reason code.
 */
export function checkPayment(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  now: number,
): CheckedPayment | Refusal {
  const accepted = payload.accepted
  if (requirements.scheme !== 'exact' || accepted.scheme !== 'exact') {
    return refuse(
      'invalid_exact_evm_scheme',
      `scheme must be "exact" in both the payment and the requirements, got payment "${accepted.scheme}" and requirements "${requirements.scheme}"`,
    )
  }
  if (accepted.network !== requirements.network) {
    return refuse(
      'invalid_exact_evm_network_mismatch',
      `payment is for network ${accepted.network} but the requirements are for ${requirements.network}`,
    )
  }
  const parsed = parseExactEvmPayload(payload.payload)
  if (!parsed.ok) return refuse('invalid_payload', parsed.message)
  const { authorization, signature } = parsed
  const payer = authorization.from
  if (!isAddress(requirements.asset, { strict: false })) {
    return refuse(
      'invalid_payment_requirements',
      `requirements.asset ${requirements.asset} is not an EVM address`,
      payer,
    )
  }
  if (accepted.asset.toLowerCase() !== requirements.asset.toLowerCase()) {
    return refuse(
      'invalid_exact_evm_asset_mismatch',
      `payment is for asset ${accepted.asset} but the requirements ask for ${requirements.asset}`,
      payer,
    )
  }
  const name = requirements.extra?.name
  const version = requirements.extra?.version
  if (typeof name !== 'string' || typeof version !== 'string') {
    return refuse(
      'invalid_exact_evm_missing_eip712_domain',
      `requirements.extra must carry the token's EIP-712 domain as name and version strings (e.g. {"name":"USD Coin","version":"2"})`,
      payer,
    )
  }
  if (authorization.to.toLowerCase() !== requirements.payTo.toLowerCase()) {
    return refuse(
      'invalid_exact_evm_payload_recipient_mismatch',
      `authorization pays ${authorization.to} but the requirements' payTo is ${requirements.payTo}`,
      payer,
    )
  }
  const required = BigInt(requirements.amount)
  if (authorization.value !== required) {
    return refuse(
      'invalid_exact_evm_payload_authorization_value_mismatch',
      `authorization value ${authorization.value} does not equal the required amount ${required}`,
      payer,
    )
  }
  const earliestValidBefore = BigInt(now + VALID_BEFORE_BUFFER_SECONDS)
  if (authorization.validBefore < earliestValidBefore) {
    return refuse(
      'invalid_exact_evm_payload_authorization_valid_before',
      `authorization expires at ${authorization.validBefore}, expected validBefore >= ${earliestValidBefore} (now + ${VALID_BEFORE_BUFFER_SECONDS} s)`,
      payer,
    )
  }
  if (authorization.validAfter > BigInt(now)) {
    return refuse(
      'invalid_exact_evm_payload_authorization_valid_after',
      `authorization is valid only after ${authorization.validAfter}, expected validAfter <= now (${now})`,
      payer,
    )
  }
  return {
    ok: true,
    payer,
    asset: getAddress(requirements.asset),
    authorization,
    signature,
    domain: { name, version },
  }
}
