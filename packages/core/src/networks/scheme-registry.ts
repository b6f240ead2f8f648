import { X402Error } from '../errors/x402-error.js'
import { isNetworkPattern, matchesNetwork, type NetworkPattern } from './network-pattern.js'

/** Anything registered under a (scheme, network pattern) pair: scheme client, server or facilitator parts. */
export interface SchemePart {
  readonly scheme: string
  readonly network: NetworkPattern
}

/** Resolves (scheme, network) to a registered part: exact network id first, then `ns:*` patterns in order. */
export interface SchemeRegistry<TPart extends SchemePart> {
  readonly parts: readonly TPart[]
  resolve(scheme: string, network: string): TPart | undefined
  /** Whether some part is registered for `scheme` on any network. */
  hasScheme(scheme: string): boolean
}

/**
 * Builds a registry; each (scheme, network) is resolved once and the answer cached (DESIGN §2).
 * Throws `X402Error('invalid_config')` for an invalid pattern or a duplicate registration.
 */
export function createSchemeRegistry<TPart extends SchemePart>(
  parts: readonly TPart[],
  role: string,
): SchemeRegistry<TPart> {
  const seen = new Set<string>()
  for (const part of parts) {
    if (typeof part.scheme !== 'string' || part.scheme === '') {
      throw new X402Error('invalid_config', `${role}: a scheme part has no scheme name`)
    }
    if (!isNetworkPattern(part.network)) {
      throw new X402Error(
        'invalid_config',
        `${role}: ${part.scheme} is registered on ${JSON.stringify(part.network)}, which is neither a CAIP-2 id nor a namespace:* pattern`,
      )
    }
    const key = `${part.scheme} ${part.network}`
    if (seen.has(key))
      throw new X402Error('invalid_config', `${role}: ${part.scheme} on ${part.network} is registered twice`)
    seen.add(key)
  }
  const schemes = new Set(parts.map((part) => part.scheme))
  const cache = new Map<string, TPart | undefined>()
  return {
    parts,
    hasScheme: (scheme) => schemes.has(scheme),
    resolve(scheme, network) {
      const key = `${scheme} ${network}`
      if (cache.has(key)) return cache.get(key)
      const candidates = parts.filter((part) => part.scheme === scheme)
      const found =
        candidates.find((part) => part.network === network) ??
        candidates.find((part) => part.network.endsWith(':*') && matchesNetwork(part.network, network))
      // The key space is bounded by the networks a deployment sees; cap it anyway against hostile input.
      if (cache.size < 1024) cache.set(key, found)
      return found
    },
  }
}
