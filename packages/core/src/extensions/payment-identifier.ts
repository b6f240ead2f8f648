import { X402Error } from '../errors/x402-error.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'

/** The extension key of payment identifiers (specs/extensions/payment_identifier.md). */
export const PAYMENT_IDENTIFIER = 'payment-identifier'

/** What an identifier may look like: 16–128 letters, digits, `_` or `-`. */
const IDENTIFIER = /^[A-Za-z0-9_-]{16,128}$/

/** The JSON Schema (2020-12) of the extension's `info`, as declared in a 402 and echoed by the client. */
export const PAYMENT_IDENTIFIER_SCHEMA = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    required: { type: 'boolean' },
    id: { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' },
  },
  required: ['required'],
})

/** The `extensions["payment-identifier"]` entry of a 402. */
export interface PaymentIdentifierDeclaration {
  info: { required: boolean }
  schema: typeof PAYMENT_IDENTIFIER_SCHEMA
}

/**
 * The declaration a route puts in its `extensions` to ask clients for an idempotency key; with
 * `required: true` a paid request without one is answered 400 `payment_identifier_required`.
 * @example routes['POST /orders'] = { accepts, extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifier({ required: true }) } }
 * @see specs/extensions/payment_identifier.md
 */
export function declarePaymentIdentifier(options: { required?: boolean } = {}): PaymentIdentifierDeclaration {
  return { info: { required: options.required === true }, schema: PAYMENT_IDENTIFIER_SCHEMA }
}

/** Whether `value` is a valid payment identifier (16–128 characters `[A-Za-z0-9_-]`). */
export function isPaymentIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value)
}

/** Throws `X402Error('invalid_payment_identifier')` unless `value` is a valid payment identifier. */
export function assertIsPaymentIdentifier(value: unknown): asserts value is string {
  if (!isPaymentIdentifier(value)) {
    throw new X402Error('invalid_payment_identifier', describeInvalid(value))
  }
}

/**
 * A fresh payment identifier: `pay_` and the 32 hex digits of a random UUID v4 (36 characters).
 * @example createPaymentIdentifier() // 'pay_7d5d747be160e280504c099d984bcfe0'
 */
export function createPaymentIdentifier(): string {
  return `pay_${crypto.randomUUID().replaceAll('-', '')}`
}

/**
 * Whether `extensions` (of a 402 or a route) declare the extension, and whether they require an id:
 * `undefined` when not declared.
 */
export function paymentIdentifierDeclarationOf(
  extensions: Record<string, unknown> | undefined,
): { required: boolean } | undefined {
  const entry = extensions?.[PAYMENT_IDENTIFIER]
  if (entry === undefined || entry === null || typeof entry !== 'object') return undefined
  const info = (entry as { info?: unknown }).info
  const required = info !== null && typeof info === 'object' && (info as { required?: unknown }).required
  return { required: required === true }
}

/** The payment identifier of a payment: absent, a valid id, or a malformed one with what is wrong. */
export type PaymentIdentifierReading =
  | { status: 'absent' }
  | { status: 'valid'; id: string }
  | { status: 'invalid'; message: string }

/**
 * Reads `payload.extensions["payment-identifier"].info.id`. An extension echoed without an `id` is absent; an
 * `id` that is not 16–128 characters `[A-Za-z0-9_-]` is invalid.
 */
export function readPaymentIdentifier(payload: PaymentPayload): PaymentIdentifierReading {
  const entry = payload.extensions?.[PAYMENT_IDENTIFIER]
  if (entry === undefined) return { status: 'absent' }
  if (entry === null || typeof entry !== 'object') {
    return { status: 'invalid', message: `extensions["${PAYMENT_IDENTIFIER}"] must be an object` }
  }
  const info = (entry as { info?: unknown }).info
  if (info === undefined) return { status: 'absent' }
  if (info === null || typeof info !== 'object') {
    return { status: 'invalid', message: `extensions["${PAYMENT_IDENTIFIER}"].info must be an object` }
  }
  const id = (info as { id?: unknown }).id
  if (id === undefined) return { status: 'absent' }
  return isPaymentIdentifier(id)
    ? { status: 'valid', id }
    : { status: 'invalid', message: describeInvalid(id) }
}

/**
 * The client's echo of a 402's extensions with `id` added to `payment-identifier` when the 402 declares it;
 * every other field is kept, and an `id` already in the echo is not replaced (spec §1.3: echo, add, never
 * overwrite). Returns `extensions` unchanged when the extension is not declared.
 */
export function withPaymentIdentifier(
  extensions: Record<string, unknown> | undefined,
  id: string,
): Record<string, unknown> | undefined {
  const entry = extensions?.[PAYMENT_IDENTIFIER]
  if (extensions === undefined || entry === null || typeof entry !== 'object') return extensions
  const info = (entry as { info?: unknown }).info
  const echoed = info !== null && typeof info === 'object' ? (info as Record<string, unknown>) : {}
  if (echoed.id !== undefined) return extensions
  return { ...extensions, [PAYMENT_IDENTIFIER]: { ...entry, info: { ...echoed, id } } }
}

function describeInvalid(value: unknown): string {
  const shown =
    typeof value === 'string'
      ? `${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`
      : typeof value
  return `payment identifier ${shown} must be 16-128 characters of A-Z, a-z, 0-9, "_" or "-"`
}
