import type { z } from 'zod'
import { X402Error } from '../errors/x402-error.js'
import { type SettleResponse, SettleResponseSchema } from '../schemas/facilitator.js'
import { type PaymentPayload, PaymentPayloadSchema } from '../schemas/payment-payload.js'
import { type PaymentRequired, PaymentRequiredSchema } from '../schemas/payment-required.js'

/** Server → client on 402: base64 JSON `PaymentRequired` (transports-v2/http.md). */
export const PAYMENT_REQUIRED_HEADER = 'PAYMENT-REQUIRED'
/** Client → server on the paid retry: base64 JSON `PaymentPayload`. */
export const PAYMENT_SIGNATURE_HEADER = 'PAYMENT-SIGNATURE'
/** Server → client after settlement: base64 JSON `SettleResponse`. */
export const PAYMENT_RESPONSE_HEADER = 'PAYMENT-RESPONSE'
/** The x402 V1 payment header, recognised only to reject it clearly. */
export const V1_PAYMENT_HEADER = 'X-PAYMENT'

/** Default cap on an encoded payment header, in characters (64 KiB). */
export const MAX_HEADER_LENGTH = 64 * 1024

/** Options of the header decoders. */
export interface DecodeHeaderOptions {
  /** Largest accepted encoded length in characters (default 64 KiB). */
  maxLength?: number
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()

/** Standard base64 (with padding) of the UTF-8 bytes of `text`. */
export function encodeBase64Json(value: unknown): string {
  return encodeBase64Text(JSON.stringify(value))
}

/** Standard base64 of a string's UTF-8 bytes; use when the JSON text is already built. */
export function encodeBase64Text(text: string): string {
  // Node: one step, without an intermediate Uint8Array (lone surrogates become U+FFFD either way).
  if (typeof Buffer !== 'undefined') return Buffer.from(text, 'utf8').toString('base64')
  return bytesToBase64(utf8Encoder.encode(text))
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function base64ToBytes(text: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return Buffer.from(text, 'base64')
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Decodes a base64 header to JSON without schema validation; errors name `header`. */
export function decodeBase64Json(header: string, value: string, options?: DecodeHeaderOptions): unknown {
  const maxLength = options?.maxLength ?? MAX_HEADER_LENGTH
  if (value.length > maxLength) {
    throw new X402Error(
      'header_too_large',
      `${header}: header is ${value.length} characters, more than the ${maxLength} allowed`,
    )
  }
  const text = value.trim()
  if (text === '') throw new X402Error('invalid_header', `${header}: header is empty`)
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(text)
    const detail = bad
      ? `contains ${JSON.stringify(bad[0])}${bad[0] === '-' || bad[0] === '_' ? ' (base64url is not accepted)' : ''}`
      : 'has a length that is not a multiple of 4 or misplaced padding'
    throw new X402Error('invalid_header', `${header}: not standard base64 with padding: ${detail}`)
  }
  let json: string
  try {
    json = utf8Decoder.decode(base64ToBytes(text))
  } catch (cause) {
    throw new X402Error('invalid_header', `${header}: decoded bytes are not valid UTF-8`, { cause })
  }
  try {
    return JSON.parse(json)
  } catch (cause) {
    throw new X402Error('invalid_header', `${header}: decoded text is not valid JSON`, { cause })
  }
}

function validate<T>(header: string, schema: z.ZodType<T>, data: unknown, v1Hint: string): T {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new X402Error('invalid_header', `${header}: must be a JSON object`)
  }
  const version = (data as { x402Version?: unknown }).x402Version
  if (version === 1) {
    throw new X402Error(
      'invalid_x402_version',
      `${header}: x402Version 1 is not supported (${v1Hint}); send an x402 V2 message with x402Version 2`,
    )
  }
  if (version !== 2) {
    throw new X402Error(
      'invalid_x402_version',
      `${header}: x402Version must be 2, got ${version === undefined ? 'none' : JSON.stringify(version)}`,
    )
  }
  return parseWith(header, schema, data)
}

function parseWith<T>(header: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
  throw new X402Error('invalid_header', `${header}: ${path}: ${issue?.message ?? 'invalid'}`)
}

/** Encodes a `PaymentRequired` for the `PAYMENT-REQUIRED` header. */
export function encodePaymentRequired(value: PaymentRequired): string {
  return encodeBase64Json(value)
}

/** Decodes and validates a `PAYMENT-REQUIRED` header; throws `X402Error('invalid_header' | 'header_too_large')`. */
export function decodePaymentRequired(value: string, options?: DecodeHeaderOptions): PaymentRequired {
  const data = decodeBase64Json(PAYMENT_REQUIRED_HEADER, value, options)
  const v1 =
    hasKey(data, 'accepts') &&
    Array.isArray(data.accepts) &&
    data.accepts.some((a) => hasKey(a, 'maxAmountRequired'))
  return validate(
    PAYMENT_REQUIRED_HEADER,
    PaymentRequiredSchema,
    data,
    v1 ? 'V1 uses maxAmountRequired' : 'V1 402 bodies',
  )
}

/** Encodes a `PaymentPayload` for the `PAYMENT-SIGNATURE` header. */
export function encodePaymentSignature(value: PaymentPayload): string {
  return encodeBase64Json(value)
}

/** Decodes and validates a `PAYMENT-SIGNATURE` header; throws `X402Error('invalid_header' | 'header_too_large' | 'invalid_x402_version')`. */
export function decodePaymentSignature(value: string, options?: DecodeHeaderOptions): PaymentPayload {
  const data = decodeBase64Json(PAYMENT_SIGNATURE_HEADER, value, options)
  if (
    hasKey(data, 'accepted') &&
    hasKey(data.accepted, 'maxAmountRequired') &&
    !hasKey(data.accepted, 'amount')
  ) {
    throw new X402Error(
      'invalid_x402_version',
      `${PAYMENT_SIGNATURE_HEADER}: accepted.maxAmountRequired is an x402 V1 field; send an x402 V2 payload with accepted.amount`,
    )
  }
  return validate(PAYMENT_SIGNATURE_HEADER, PaymentPayloadSchema, data, 'the V1 X-PAYMENT format')
}

/** Encodes a `SettleResponse` for the `PAYMENT-RESPONSE` header. */
export function encodePaymentResponse(value: SettleResponse): string {
  return encodeBase64Json(value)
}

/** Decodes and validates a `PAYMENT-RESPONSE` header; throws `X402Error('invalid_header' | 'header_too_large')`. */
export function decodePaymentResponse(value: string, options?: DecodeHeaderOptions): SettleResponse {
  const data = decodeBase64Json(PAYMENT_RESPONSE_HEADER, value, options)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new X402Error('invalid_header', `${PAYMENT_RESPONSE_HEADER}: must be a JSON object`)
  }
  return parseWith(PAYMENT_RESPONSE_HEADER, SettleResponseSchema, data)
}

function hasKey<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return value !== null && typeof value === 'object' && key in value
}
