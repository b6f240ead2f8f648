import { X402Error } from '../errors/x402-error.js'
import { type Caip2, isCaip2 } from './caip2.js'

/**
 * A CAIP-2 id or a family pattern whose reference is `*` (`eip155:*`, `solana:*`).
 * Schemes register under a pattern; the family pattern is also the key of `/supported`'s `signers` map.
 */
export type NetworkPattern = Caip2 | `${string}:*`

const FAMILY = /^[-a-z0-9]{3,8}:\*$/

/** Whether `value` is a CAIP-2 id or a `namespace:*` family pattern. */
export function isNetworkPattern(value: unknown): value is NetworkPattern {
  return isCaip2(value) || (typeof value === 'string' && FAMILY.test(value))
}

/** Whether `network` is matched by `pattern` (exact id, or same namespace for `namespace:*`). */
export function matchesNetwork(pattern: NetworkPattern, network: string): boolean {
  if (pattern.endsWith(':*')) return network.startsWith(pattern.slice(0, -1)) && isCaip2(network)
  return pattern === network
}

/** The family pattern of a network: `eip155:8453` → `eip155:*`. */
export function networkFamily(network: Caip2): `${string}:*` {
  return `${network.slice(0, network.indexOf(':'))}:*`
}

/** Throws unless `value` is a network pattern. */
export function assertIsNetworkPattern(value: unknown): asserts value is NetworkPattern {
  if (!isNetworkPattern(value)) {
    throw new X402Error(
      'invalid_network',
      `${JSON.stringify(value)} is neither a CAIP-2 id nor a namespace:* pattern`,
    )
  }
}
