import { type Address, getAddress, type Hex, isAddress, isHex } from 'viem'
import type { TransferAuthorization } from './transfer-with-authorization.js'

/** The `payload` of an exact EVM (EIP-3009) payment as sent on the wire: numbers are decimal strings. */
export interface ExactEvmPayload {
  signature: Hex
  authorization: {
    from: Address
    to: Address
    value: string
    validAfter: string
    validBefore: string
    nonce: Hex
  }
}

/** A parsed payload: a usable authorization, or what was wrong with it. */
export type ParsedExactEvmPayload =
  | { ok: true; signature: Hex; authorization: TransferAuthorization }
  | { ok: false; message: string }

const UINT256_MAX = 2n ** 256n - 1n

// The spec allows hex ("0x…") or decimal strings for the integer fields; decimal is what clients send.
export function parseUint(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value !== 'string') return undefined
  if (!/^(0|[1-9][0-9]*)$/.test(value) && !/^0[xX][0-9a-fA-F]{1,64}$/.test(value)) return undefined
  const parsed = BigInt(value)
  return parsed <= UINT256_MAX ? parsed : undefined
}

/** Checks the shape of an exact EVM payload without trusting anything in it. */
export function parseExactEvmPayload(payload: Record<string, unknown>): ParsedExactEvmPayload {
  const { signature, authorization } = payload
  if (typeof signature !== 'string' || !isHex(signature, { strict: true }) || signature.length < 4) {
    return { ok: false, message: 'payload.signature must be a 0x-prefixed hex string' }
  }
  if (typeof authorization !== 'object' || authorization === null) {
    return {
      ok: false,
      message: 'payload.authorization must be an object {from, to, value, validAfter, validBefore, nonce}',
    }
  }
  const auth = authorization as Record<string, unknown>
  for (const field of ['from', 'to'] as const) {
    const value = auth[field]
    if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
      return { ok: false, message: `payload.authorization.${field} must be a 20-byte hex address` }
    }
  }
  const numbers: Partial<Record<'value' | 'validAfter' | 'validBefore' | 'nonce', bigint>> = {}
  for (const field of ['value', 'validAfter', 'validBefore', 'nonce'] as const) {
    const parsed = parseUint(auth[field])
    if (parsed === undefined) {
      return {
        ok: false,
        message: `payload.authorization.${field} must be an unsigned 256-bit integer (decimal or 0x-hex string)`,
      }
    }
    numbers[field] = parsed
  }
  return {
    ok: true,
    signature: signature as Hex,
    authorization: {
      from: getAddress(auth.from as string),
      to: getAddress(auth.to as string),
      value: numbers.value as bigint,
      validAfter: numbers.validAfter as bigint,
      validBefore: numbers.validBefore as bigint,
      nonce: `0x${(numbers.nonce as bigint).toString(16).padStart(64, '0')}`,
    },
  }
}
