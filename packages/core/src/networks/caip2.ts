import { X402Error } from '../errors/x402-error.js'

/**
 * A CAIP-2 chain id, `namespace:reference`, e.g. `eip155:8453` or `solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp`.
 * @see https://chainagnostic.org/CAIPs/caip-2
 */
export type Caip2 = `${string}:${string}`

/** The CAIP-2 syntax: a 3–8 character namespace and a 1–32 character reference. */
export const CAIP2_REGEX = /^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$/

/** Whether `value` is a syntactically valid CAIP-2 chain id. */
export function isCaip2(value: unknown): value is Caip2 {
  return typeof value === 'string' && CAIP2_REGEX.test(value)
}

/** Throws an `X402Error('invalid_network')` unless `value` is a CAIP-2 chain id. */
export function assertIsCaip2(value: unknown): asserts value is Caip2 {
  if (!isCaip2(value)) {
    throw new X402Error(
      'invalid_network',
      `${JSON.stringify(value)} is not a CAIP-2 chain id (namespace:reference)`,
    )
  }
}

/** Brands a literal as a CAIP-2 chain id, checking it: `caip2('eip155:8453')`. */
export function caip2(value: string): Caip2 {
  assertIsCaip2(value)
  return value
}

/** Splits a CAIP-2 id into its namespace and reference. */
export function parseCaip2(value: string): { namespace: string; reference: string } {
  assertIsCaip2(value)
  const colon = value.indexOf(':')
  return { namespace: value.slice(0, colon), reference: value.slice(colon + 1) }
}

/** Joins a namespace and a reference into a CAIP-2 id. */
export function formatCaip2(namespace: string, reference: string | number): Caip2 {
  return caip2(`${namespace}:${reference}`)
}

/** The EVM chain id of an `eip155:<id>` network. */
export function evmChainId(network: string): number {
  const { namespace, reference } = parseCaip2(network)
  if (namespace !== 'eip155' || !/^[1-9][0-9]*$/.test(reference)) {
    throw new X402Error('invalid_network', `${network} is not an eip155 network with a numeric chain id`)
  }
  return Number(reference)
}
