import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json.js'

/** The scheme's name, as in `PaymentRequirements.scheme`. */
export const __SCREAMING___SCHEME = '__NAME__'

/**
 * What the payer signs: pay `amount` atomic units of `asset` to `to`, once (`nonce`), before `validBefore`.
 * Numbers are decimal strings on the wire.
 *
 * TODO(real scheme): this is the scheme's wire format (its `scheme_<name>_<chain>.md` spec). A real chain
 * signs the chain's own message (EIP-712 typed data, a transaction) instead.
 */
export interface __PASCAL__Authorization {
  from: string
  to: string
  asset: string
  amount: string
  nonce: string
  /** Seconds since the epoch; the payment is refused from this second on. */
  validBefore: string
}

/** The `payload` of a __NAME__ payment: the authorization and the payer's signature of it. */
export interface __PASCAL__Payload {
  authorization: __PASCAL__Authorization
  /** The payer's ed25519 signature of {@link authorizationMessage}, base64url. */
  signature: string
}

/**
 * The bytes the payer signs: the authorization with the scheme and network it is for, as canonical JSON,
 * so a signature for one network or scheme is worthless on another.
 */
export function authorizationMessage(network: string, authorization: __PASCAL__Authorization): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ scheme: __SCREAMING___SCHEME, network, ...authorization }))
}

/** The transaction id of a payment: a hash of what was signed, known before the ledger executes it. */
export function transactionId(network: string, payload: __PASCAL__Payload): string {
  return createHash('sha256')
    .update(authorizationMessage(network, payload.authorization))
    .update(payload.signature)
    .digest('hex')
}

const DECIMAL = /^(0|[1-9][0-9]*)$/
const FIELDS = ['from', 'to', 'asset', 'amount', 'nonce', 'validBefore'] as const

/** Checks the shape of a payload without trusting anything in it. */
export function parse__PASCAL__Payload(
  payload: Record<string, unknown>,
): { ok: true; payload: __PASCAL__Payload } | { ok: false; message: string } {
  const { authorization, signature } = payload
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(signature)) {
    return { ok: false, message: 'payload.signature must be a base64url ed25519 signature (86 characters)' }
  }
  if (authorization === null || typeof authorization !== 'object') {
    return { ok: false, message: `payload.authorization must be an object {${FIELDS.join(', ')}}` }
  }
  const fields = authorization as Record<string, unknown>
  for (const field of FIELDS) {
    if (typeof fields[field] !== 'string' || fields[field] === '') {
      return { ok: false, message: `payload.authorization.${field} must be a non-empty string` }
    }
  }
  for (const field of ['amount', 'validBefore'] as const) {
    if (!DECIMAL.test(fields[field] as string)) {
      return { ok: false, message: `payload.authorization.${field} must be a decimal integer string` }
    }
  }
  const parsed = Object.fromEntries(FIELDS.map((field) => [field, fields[field]]))
  return { ok: true, payload: { authorization: parsed as unknown as __PASCAL__Authorization, signature } }
}
