import type { ErrorReason } from '@open402/core'
import { formatSiwxMessage } from '../shared/siwx-message.js'
import type { SiwxPayload, SiwxSupportedChain } from '../shared/types.js'
import type { NonceStore } from './nonce-store.js'
import { DEFAULT_CHALLENGE_TTL_MS } from './siwx-challenge.js'
import type { SiwxVerifier } from './siwx-verifier.js'

/** The reasons a sign-in is refused (in core's registry; the 402's `error`). */
export type SiwxRefusalReason = Extract<ErrorReason, `siwx_${string}`>

/** The outcome of {@link verifySiwx}: who signed in, or why not. */
export type SiwxVerification =
  | { valid: true; address: string; chainId: string; payload: SiwxPayload }
  | { valid: false; reason: SiwxRefusalReason; message: string }

/** What {@link verifySiwx} checks a proof against. */
export interface VerifySiwxOptions {
  /** The server's configured public origin (never the request's Host: specs/extensions/sign-in-with-x.md). */
  origin: string
  /** The chains offered for this resource. */
  supportedChains: readonly SiwxSupportedChain[]
  verifiers: readonly SiwxVerifier[]
  nonces: NonceStore
  /** Epoch ms (default `Date.now()`). */
  now?: number
  /** Largest accepted age of `issuedAt` (default 5 minutes). */
  maxAgeMs?: number
  /** How far in the future `issuedAt` and `notBefore` may be, for clocks of instances that differ (default 10 s). */
  clockSkewMs?: number
}

/** Default tolerance for the clocks of the instances that made and check a challenge. */
export const DEFAULT_CLOCK_SKEW_MS = 10_000

/**
 * Checks a decoded proof as the spec's "Verification Logic" says: domain and URI origin against the
 * configured origin, the time window, the chain, the signature (through the chain's verifier), and last the
 * nonce, used once. A verifier that throws (RPC down) refuses the sign-in: the client can still pay.
 * @example const result = await verifySiwx(decodeSiwxHeader(header), { origin, supportedChains, verifiers, nonces })
 */
export async function verifySiwx(
  payload: SiwxPayload,
  options: VerifySiwxOptions,
): Promise<SiwxVerification> {
  const refuse = (reason: SiwxRefusalReason, message: string): SiwxVerification => ({
    valid: false,
    reason,
    message,
  })
  const origin = new URL(options.origin)
  if (payload.domain !== origin.host) {
    return refuse('siwx_domain_mismatch', `domain ${JSON.stringify(payload.domain)} is not ${origin.host}`)
  }
  if (new URL(payload.uri).origin !== origin.origin) {
    return refuse('siwx_uri_mismatch', `uri ${JSON.stringify(payload.uri)} is not on ${origin.origin}`)
  }

  const now = options.now ?? Date.now()
  const skew = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS
  const maxAge = options.maxAgeMs ?? DEFAULT_CHALLENGE_TTL_MS
  const issuedAt = Date.parse(payload.issuedAt)
  if (issuedAt > now + skew) {
    return refuse('siwx_not_yet_valid', `issuedAt ${payload.issuedAt} is in the future`)
  }
  if (now - issuedAt > maxAge) {
    return refuse('siwx_expired', `issuedAt ${payload.issuedAt} is more than ${maxAge / 1000} s old`)
  }
  if (payload.expirationTime !== undefined && Date.parse(payload.expirationTime) <= now) {
    return refuse('siwx_expired', `the sign-in expired at ${payload.expirationTime}`)
  }
  if (payload.notBefore !== undefined && Date.parse(payload.notBefore) > now + skew) {
    return refuse('siwx_not_yet_valid', `the sign-in is not valid before ${payload.notBefore}`)
  }

  const chain = options.supportedChains.find((offered) => offered.chainId === payload.chainId)
  const namespace = payload.chainId.slice(0, payload.chainId.indexOf(':'))
  const verifier = options.verifiers.find((v) => v.namespace === namespace && v.type === payload.type)
  if (!chain || chain.type !== payload.type || !verifier) {
    const offered = options.supportedChains.map((c) => `${c.chainId} (${c.type})`).join(', ') || 'none'
    return refuse(
      'siwx_unsupported_chain',
      `sign-in on ${payload.chainId} with ${payload.type} is not offered here; offered: ${offered}`,
    )
  }

  let valid: boolean
  try {
    valid = await verifier.verify(payload, formatSiwxMessage(payload))
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)
    return refuse('siwx_invalid_signature', `the signature could not be checked: ${detail}`)
  }
  if (!valid) {
    return refuse(
      'siwx_invalid_signature',
      `the signature is not ${payload.address}'s signature of the message`,
    )
  }

  // Kept until no proof with this issuedAt could pass the age check any more.
  if (!(await options.nonces.use(payload.nonce, issuedAt + maxAge + skew - now))) {
    return refuse('siwx_nonce_reused', `nonce ${payload.nonce} was used before; sign a fresh challenge`)
  }
  return {
    valid: true,
    address: verifier.normalizeAddress(payload.address),
    chainId: payload.chainId,
    payload,
  }
}
