import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import { type Address, getAddress, type Hex, isAddress } from 'viem'
import { VALID_BEFORE_BUFFER_SECONDS } from '../exact/facilitator/check-payment.js'
import { type Refusal, refuse } from '../exact/facilitator/invalid.js'
import { PERMIT2_ADDRESS } from '../shared/permit2.js'
import {
  type Eip2612Permit,
  type Permit2Authorization,
  parseEip2612Extension,
  parsePermit2Payload,
} from '../shared/permit2-payload.js'
import type { Permit2Flavor } from './permit2-flavor.js'

/** A Permit2 payment whose fields all bind to the requirements; its signature is not checked yet. */
export interface CheckedPermit2Payment {
  ok: true
  payer: Address
  asset: Address
  authorization: Permit2Authorization
  signature: Hex
}

/**
 * The rules that need no chain, in the spec's order: scheme, network, payload shape, asset, spender (the
 * scheme's proxy), recipient, (upto) a facilitator of ours, deadline, validAfter, exact amount, token.
 * Each failed rule has its own reason code.
 */
export function checkPermit2Payment(
  flavor: Permit2Flavor,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  now: number,
  facilitators: readonly Address[] = [],
): CheckedPermit2Payment | Refusal {
  const accepted = payload.accepted
  if (requirements.scheme !== flavor.scheme || accepted.scheme !== flavor.scheme) {
    return refuse(
      flavor.reasons.scheme,
      `scheme must be "${flavor.scheme}" in both the payment and the requirements, got payment "${accepted.scheme}" and requirements "${requirements.scheme}"`,
    )
  }
  if (accepted.network !== requirements.network) {
    return refuse(
      flavor.reasons.network,
      `payment is for network ${accepted.network} but the requirements are for ${requirements.network}`,
    )
  }
  const parsed = parsePermit2Payload(payload.payload, flavor.scheme)
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
      flavor.reasons.asset,
      `payment is for asset ${accepted.asset} but the requirements ask for ${requirements.asset}`,
      payer,
    )
  }
  if (authorization.spender !== flavor.proxy) {
    return refuse(
      'invalid_permit2_spender',
      `permit2Authorization.spender is ${authorization.spender}, expected the x402 ${flavor.scheme} Permit2 proxy ${flavor.proxy}`,
      payer,
    )
  }
  if (authorization.witness.to.toLowerCase() !== requirements.payTo.toLowerCase()) {
    return refuse(
      'invalid_permit2_recipient_mismatch',
      `witness.to is ${authorization.witness.to} but the requirements' payTo is ${requirements.payTo}`,
      payer,
    )
  }
  const facilitator = authorization.witness.facilitator
  if (flavor.scheme === 'upto' && !facilitators.some((own) => own === facilitator)) {
    return refuse(
      'upto_facilitator_mismatch',
      `witness.facilitator ${facilitator} is not an address of this facilitator (${facilitators.join(', ')}); only it could settle the payment`,
      payer,
    )
  }
  const earliestDeadline = BigInt(now + VALID_BEFORE_BUFFER_SECONDS)
  if (authorization.deadline < earliestDeadline) {
    return refuse(
      'permit2_deadline_expired',
      `permit2Authorization.deadline is ${authorization.deadline}, expected >= ${earliestDeadline} (now + ${VALID_BEFORE_BUFFER_SECONDS} s)`,
      payer,
    )
  }
  if (authorization.witness.validAfter > BigInt(now)) {
    return refuse(
      'permit2_not_yet_valid',
      `witness.validAfter is ${authorization.witness.validAfter}, expected <= now (${now})`,
      payer,
    )
  }
  const required = BigInt(requirements.amount)
  if (authorization.permitted.amount !== required) {
    return refuse(
      'permit2_amount_mismatch',
      `permitted.amount ${authorization.permitted.amount} does not equal the ${flavor.scheme === 'upto' ? 'maximum' : 'required amount'} ${required}`,
      payer,
    )
  }
  const asset = getAddress(requirements.asset)
  if (authorization.permitted.token !== asset) {
    return refuse(
      'permit2_token_mismatch',
      `permitted.token is ${authorization.permitted.token} but the requirements ask for ${asset}`,
      payer,
    )
  }
  return { ok: true, payer, asset, authorization, signature }
}

/**
 * The payer's EIP-2612 permit for Permit2 from the payment's `eip2612GasSponsoring` extension, checked
 * against the payment: signed by the payer, for the asset, Permit2 as spender, still valid, and for exactly
 * the permitted amount (what the proxies' `settleWithPermit` requires). `undefined`: the payment has none.
 */
export function checkEip2612Permit(
  payload: PaymentPayload,
  payment: CheckedPermit2Payment,
  now: number,
): { ok: true; permit: Eip2612Permit | undefined } | Refusal {
  const parsed = parseEip2612Extension(payload.extensions)
  if (parsed === undefined) return { ok: true, permit: undefined }
  const { payer } = payment
  if (!parsed.ok) return refuse('invalid_eip2612_extension_format', parsed.message, payer)
  const { permit } = parsed
  if (permit.from !== payer) {
    return refuse(
      'eip2612_from_mismatch',
      `the EIP-2612 permit is from ${permit.from} but the payment is from ${payer}`,
      payer,
    )
  }
  if (permit.asset !== payment.asset) {
    return refuse(
      'eip2612_asset_mismatch',
      `the EIP-2612 permit is for ${permit.asset} but the payment is in ${payment.asset}`,
      payer,
    )
  }
  if (permit.spender !== PERMIT2_ADDRESS) {
    return refuse(
      'eip2612_spender_not_permit2',
      `the EIP-2612 permit approves ${permit.spender}, expected Permit2 ${PERMIT2_ADDRESS}`,
      payer,
    )
  }
  const earliestDeadline = BigInt(now + VALID_BEFORE_BUFFER_SECONDS)
  if (permit.deadline < earliestDeadline) {
    return refuse(
      'eip2612_deadline_expired',
      `the EIP-2612 permit expires at ${permit.deadline}, expected >= ${earliestDeadline} (now + ${VALID_BEFORE_BUFFER_SECONDS} s)`,
      payer,
    )
  }
  if (permit.amount !== payment.authorization.permitted.amount) {
    return refuse(
      'permit2_2612_amount_mismatch',
      `the EIP-2612 permit is for ${permit.amount} but the proxy requires exactly the permitted amount ${payment.authorization.permitted.amount}`,
      payer,
    )
  }
  return { ok: true, permit }
}
