import { decodeBase64Json, encodeBase64Json, isCaip2, X402Error } from '@open402/core'
import { SIGN_IN_WITH_X_HEADER } from './constants.js'
import type { SiwxPayload } from './types.js'

/** Largest accepted SIGN-IN-WITH-X header in characters (8 KiB): a proof is a few hundred bytes. */
export const MAX_SIWX_HEADER_LENGTH = 8 * 1024

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const NONCE = /^[A-Za-z0-9]{8,}$/
/** A field that goes on one line of the signed text: no line breaks, so no field can forge another line. */
const ONE_LINE = /^[^\r\n]*$/
const NO_SPACE = /^\S+$/

/**
 * Encodes a proof for the `SIGN-IN-WITH-X` header: standard base64 of its JSON, like the payment headers.
 * @example headers.set(SIGN_IN_WITH_X_HEADER, encodeSiwxHeader(payload))
 */
export function encodeSiwxHeader(payload: SiwxPayload): string {
  return encodeBase64Json(payload)
}

/**
 * Decodes and checks the shape of a `SIGN-IN-WITH-X` header (specs/extensions/sign-in-with-x.md, "Client
 * Proof Fields"); unknown fields are kept. Throws `X402Error('invalid_header')` saying which field is wrong.
 * It checks no signature, time or nonce: that is `verifySiwx`'s job.
 * @example const payload = decodeSiwxHeader(request.headers.get(SIGN_IN_WITH_X_HEADER) ?? '')
 */
export function decodeSiwxHeader(header: string): SiwxPayload {
  const value = decodeBase64Json(SIGN_IN_WITH_X_HEADER, header, { maxLength: MAX_SIWX_HEADER_LENGTH })
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('the decoded value is not a JSON object')
  }
  const fields = value as Record<string, unknown>
  const text = (name: string, pattern: RegExp, rule: string, optional = false) => {
    const field = fields[name]
    if (field === undefined && optional) return
    if (typeof field !== 'string' || field === '' || !pattern.test(field)) {
      throw invalid(`${name} must be ${rule}, got ${JSON.stringify(field)}`)
    }
  }
  text('domain', NO_SPACE, 'a host without spaces')
  text('address', NO_SPACE, 'a wallet address')
  text('uri', NO_SPACE, 'an absolute URI')
  text('chainId', NO_SPACE, 'a CAIP-2 chain id')
  text('type', NO_SPACE, 'a signature type (eip191, ed25519)')
  text('nonce', NONCE, 'at least 8 letters or digits')
  text('issuedAt', ISO_TIME, 'an ISO 8601 time')
  text('expirationTime', ISO_TIME, 'an ISO 8601 time', true)
  text('notBefore', ISO_TIME, 'an ISO 8601 time', true)
  text('statement', ONE_LINE, 'one line of text', true)
  text('requestId', ONE_LINE, 'one line of text', true)
  text('signatureScheme', NO_SPACE, 'a signature scheme name', true)
  text('signature', NO_SPACE, 'the signature (0x hex or base58)')
  if (fields.version !== '1') throw invalid(`version must be "1", got ${JSON.stringify(fields.version)}`)
  if (!isCaip2(fields.chainId)) throw invalid(`chainId ${JSON.stringify(fields.chainId)} is not a CAIP-2 id`)
  if (!URL.canParse(fields.uri as string))
    throw invalid(`uri ${JSON.stringify(fields.uri)} is not an absolute URI`)
  for (const name of ['issuedAt', 'expirationTime', 'notBefore']) {
    if (fields[name] !== undefined && !Number.isFinite(Date.parse(fields[name] as string))) {
      throw invalid(`${name} ${JSON.stringify(fields[name])} is not a valid time`)
    }
  }
  const resources = fields.resources
  if (resources !== undefined) {
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string' && NO_SPACE.test(r))) {
      throw invalid('resources must be an array of URIs')
    }
  }
  return fields as unknown as SiwxPayload
}

function invalid(message: string): X402Error {
  return new X402Error('invalid_header', `${SIGN_IN_WITH_X_HEADER}: ${message}`)
}
