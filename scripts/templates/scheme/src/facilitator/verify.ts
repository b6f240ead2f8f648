import type { ErrorReason, PaymentPayload, PaymentRequirements } from '@open402/core'
import type { Ledger } from '../ledger/ledger.js'
import { isValidSignature } from '../ledger/ledger-account.js'
import {
  type __PASCAL__Payload,
  __SCREAMING___SCHEME,
  authorizationMessage,
  parse__PASCAL__Payload,
} from '../shared/__NAME__-payload.js'
import { __SCREAMING___REASONS as REASONS } from './reasons.js'

/** A payment that passed every rule. */
export interface VerifiedPayment {
  ok: true
  payer: string
  payload: __PASCAL__Payload
}

/** A refused payment: a registered reason and a sentence saying what was wrong and what was expected. */
export interface Refusal {
  ok: false
  reason: ErrorReason
  message: string
  payer?: string
}

function refuse(reason: ErrorReason, message: string, payer?: string): Refusal {
  return payer === undefined ? { ok: false, reason, message } : { ok: false, reason, message, payer }
}

/**
 * Checks a payment against the requirements and the ledger's state, changing nothing. The rules run from
 * the cheapest (no state) to the ones that read the ledger; each failed rule has its own reason.
 *
 * TODO(real chain): the signature check becomes the chain's (ECDSA recovery, a transaction's signatures),
 * and the last two rules become one read of the chain (a simulation proves balance and nonce at once).
 */
export function verifyPayment(
  ledger: Ledger,
  payment: PaymentPayload,
  requirements: PaymentRequirements,
): VerifiedPayment | Refusal {
  const accepted = payment.accepted
  if (requirements.scheme !== __SCREAMING___SCHEME || accepted.scheme !== __SCREAMING___SCHEME) {
    return refuse(
      REASONS.scheme,
      `scheme must be "${__SCREAMING___SCHEME}" in the payment and the requirements, got "${accepted.scheme}" and "${requirements.scheme}"`,
    )
  }
  if (accepted.network !== requirements.network || requirements.network !== ledger.network) {
    return refuse(
      REASONS.network,
      `payment is for ${accepted.network} and the requirements for ${requirements.network}; this facilitator serves ${ledger.network}`,
    )
  }
  const parsed = parse__PASCAL__Payload(payment.payload)
  if (!parsed.ok) return refuse(REASONS.payload, parsed.message)
  const { authorization, signature } = parsed.payload
  const payer = authorization.from
  if (authorization.to !== requirements.payTo) {
    return refuse(
      REASONS.recipient,
      `authorization pays ${authorization.to} but the requirements' payTo is ${requirements.payTo}`,
      payer,
    )
  }
  if (authorization.asset !== requirements.asset) {
    return refuse(
      REASONS.asset,
      `authorization is in asset ${authorization.asset} but the requirements ask for ${requirements.asset}`,
      payer,
    )
  }
  if (authorization.amount !== requirements.amount) {
    return refuse(
      REASONS.amount,
      `authorization amount ${authorization.amount} does not equal the required amount ${requirements.amount}`,
      payer,
    )
  }
  const now = ledger.now()
  if (BigInt(authorization.validBefore) <= BigInt(now)) {
    return refuse(
      REASONS.expired,
      `authorization expired at ${authorization.validBefore}, expected validBefore > now (${now})`,
      payer,
    )
  }
  if (!isValidSignature(payer, authorizationMessage(requirements.network, authorization), signature)) {
    return refuse(
      REASONS.signature,
      `signature is not ${payer}'s signature of this authorization on ${requirements.network}`,
      payer,
    )
  }
  if (ledger.isSpent(payer, authorization.nonce)) {
    return refuse(REASONS.replay, `nonce ${authorization.nonce} of ${payer} is already spent`, payer)
  }
  const balance = ledger.balanceOf(payer, authorization.asset)
  if (balance < BigInt(authorization.amount)) {
    return refuse(
      REASONS.balance,
      `${payer} holds ${balance} ${authorization.asset}, less than the ${authorization.amount} required`,
      payer,
    )
  }
  return { ok: true, payer, payload: parsed.payload }
}
