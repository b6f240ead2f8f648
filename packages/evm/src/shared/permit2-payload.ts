import { type Address, getAddress, type Hex, isAddress, isHex } from 'viem'
import { parseUint } from './exact-evm-payload.js'

/**
 * The `payload` of a Permit2 payment as sent on the wire (exact with `assetTransferMethod: "permit2"`, and
 * upto): numbers are decimal strings; the upto witness also names the facilitator that may settle it.
 */
export interface Permit2EvmPayload {
  signature: Hex
  permit2Authorization: {
    from: Address
    permitted: { token: Address; amount: string }
    spender: Address
    nonce: string
    deadline: string
    witness: { to: Address; validAfter: string; facilitator?: Address }
  }
}

/** A Permit2 witness transfer with numbers as bigints and checksummed addresses. */
export interface Permit2Authorization {
  from: Address
  permitted: { token: Address; amount: bigint }
  spender: Address
  nonce: bigint
  deadline: bigint
  witness: { to: Address; validAfter: bigint; facilitator?: Address }
}

/** A parsed Permit2 payload: a usable authorization, or what was wrong with it. */
export type ParsedPermit2Payload =
  | { ok: true; signature: Hex; authorization: Permit2Authorization }
  | { ok: false; message: string }

/** Whether a payment's `payload` is a Permit2 one (it has `permit2Authorization`) rather than EIP-3009. */
export function isPermit2Payload(payload: Record<string, unknown>): boolean {
  return 'permit2Authorization' in payload
}

function field(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/**
 * Checks the shape of a Permit2 payload without trusting anything in it. `witness` is `exact`
 * (`{to, validAfter}`) or `upto` (`{to, facilitator, validAfter}`).
 */
export function parsePermit2Payload(
  payload: Record<string, unknown>,
  witness: 'exact' | 'upto',
): ParsedPermit2Payload {
  const { signature, permit2Authorization } = payload
  if (typeof signature !== 'string' || !isHex(signature, { strict: true }) || signature.length < 4) {
    return { ok: false, message: 'payload.signature must be a 0x-prefixed hex string' }
  }
  if (typeof permit2Authorization !== 'object' || permit2Authorization === null) {
    return {
      ok: false,
      message:
        'payload.permit2Authorization must be an object {from, permitted: {token, amount}, spender, nonce, deadline, witness}',
    }
  }
  const auth = permit2Authorization as Record<string, unknown>
  const addresses = ['from', 'permitted.token', 'spender', 'witness.to']
  if (witness === 'upto') addresses.push('witness.facilitator')
  for (const path of addresses) {
    const value = field(auth, path)
    if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
      return { ok: false, message: `payload.permit2Authorization.${path} must be a 20-byte hex address` }
    }
  }
  const numbers: Record<string, bigint> = {}
  for (const path of ['permitted.amount', 'nonce', 'deadline', 'witness.validAfter']) {
    const parsed = parseUint(field(auth, path))
    if (parsed === undefined) {
      return {
        ok: false,
        message: `payload.permit2Authorization.${path} must be an unsigned 256-bit integer (decimal or 0x-hex string)`,
      }
    }
    numbers[path] = parsed
  }
  const address = (path: string) => getAddress(field(auth, path) as string)
  const authorization: Permit2Authorization = {
    from: address('from'),
    permitted: { token: address('permitted.token'), amount: numbers['permitted.amount'] as bigint },
    spender: address('spender'),
    nonce: numbers.nonce as bigint,
    deadline: numbers.deadline as bigint,
    witness: { to: address('witness.to'), validAfter: numbers['witness.validAfter'] as bigint },
  }
  if (witness === 'upto') authorization.witness.facilitator = address('witness.facilitator')
  return { ok: true, signature: signature as Hex, authorization }
}

/** The wire form of a Permit2 authorization (decimal strings). */
export function serializePermit2Authorization(
  authorization: Permit2Authorization,
): Permit2EvmPayload['permit2Authorization'] {
  const { from, permitted, spender, nonce, deadline, witness } = authorization
  return {
    from,
    permitted: { token: permitted.token, amount: permitted.amount.toString() },
    spender,
    nonce: nonce.toString(),
    deadline: deadline.toString(),
    witness: {
      to: witness.to,
      ...(witness.facilitator === undefined ? {} : { facilitator: witness.facilitator }),
      validAfter: witness.validAfter.toString(),
    },
  }
}

/**
 * `extensions.eip2612GasSponsoring.info` of a payment: the payer's EIP-2612 permit giving Permit2 an
 * allowance, which the facilitator submits in the same transaction as the settlement.
 */
export interface Eip2612GasSponsoringInfo {
  from: Address
  asset: Address
  spender: Address
  amount: string
  nonce: string
  deadline: string
  /** 65-byte `r || s || v`. */
  signature: Hex
  version: string
}

/** A parsed EIP-2612 permit, numbers as bigints. */
export interface Eip2612Permit {
  from: Address
  asset: Address
  spender: Address
  amount: bigint
  nonce: bigint
  deadline: bigint
  signature: Hex
}

/**
 * The EIP-2612 permit in a payment's `extensions`: `undefined` when the payment carries none (no
 * `eip2612GasSponsoring.info`), a message when it is malformed.
 */
export function parseEip2612Extension(
  extensions: Record<string, unknown> | undefined,
): { ok: true; permit: Eip2612Permit } | { ok: false; message: string } | undefined {
  const extension = extensions?.eip2612GasSponsoring
  if (typeof extension !== 'object' || extension === null) return undefined
  const info = (extension as { info?: unknown }).info
  if (info === undefined) return undefined
  const bad = (what: string) => ({
    ok: false as const,
    message: `extensions.eip2612GasSponsoring.info.${what}`,
  })
  if (typeof info !== 'object' || info === null) {
    return { ok: false, message: 'extensions.eip2612GasSponsoring.info must be an object' }
  }
  const record = info as Record<string, unknown>
  // A declaration the server sent (description, schema) without the client's permit is not a permit.
  if (record.signature === undefined && record.from === undefined) return undefined
  for (const key of ['from', 'asset', 'spender'] as const) {
    const value = record[key]
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
      return bad(`${key} must be a 20-byte hex address`)
    }
  }
  const numbers: Record<string, bigint> = {}
  for (const key of ['amount', 'nonce', 'deadline'] as const) {
    const value = record[key]
    if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) return bad(`${key} must be a decimal string`)
    const parsed = parseUint(value.replace(/^0+(?=\d)/, ''))
    if (parsed === undefined) return bad(`${key} must be an unsigned 256-bit integer`)
    numbers[key] = parsed
  }
  const signature = record.signature
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) {
    return bad('signature must be a 65-byte hex signature (r || s || v)')
  }
  if (typeof record.version !== 'string' || !/^[0-9]+(\.[0-9]+)*$/.test(record.version)) {
    return bad('version must be a version string such as "1"')
  }
  return {
    ok: true,
    permit: {
      from: getAddress(record.from as string),
      asset: getAddress(record.asset as string),
      spender: getAddress(record.spender as string),
      amount: numbers.amount as bigint,
      nonce: numbers.nonce as bigint,
      deadline: numbers.deadline as bigint,
      signature: signature as Hex,
    },
  }
}
