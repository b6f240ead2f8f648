import { SIWX_PROOF_SCHEMA } from '../shared/siwx-schema.js'
import type { SiwxExtension, SiwxInfo, SiwxSupportedChain } from '../shared/types.js'

/** Options of {@link createSiwxChallenge}. */
export interface SiwxChallengeOptions {
  /** The server's public origin, e.g. `https://api.example.com`: gives `domain` and the origin of `uri`. */
  origin: string
  /** The resource: its path and query are put after `origin` in `uri` (and in `resources`). */
  url: string
  supportedChains: SiwxSupportedChain[]
  statement?: string
  /** How long the challenge may be answered, from now (default 5 minutes). */
  ttlMs?: number
  now?: number
}

/** Default life of a challenge and largest accepted age of a proof (the spec's 5 minutes). */
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000

/**
 * A fresh `sign-in-with-x` declaration for one 402: a random 32-hex-digit nonce, `issuedAt` now and
 * `expirationTime` after `ttlMs` (specs/extensions/sign-in-with-x.md, "PaymentRequired").
 * @example extensions['sign-in-with-x'] = createSiwxChallenge({ origin, url: request.url, supportedChains })
 */
export function createSiwxChallenge(options: SiwxChallengeOptions): SiwxExtension {
  const origin = new URL(options.origin)
  const resource = new URL(options.url)
  const uri = `${origin.origin}${resource.pathname}${resource.search}`
  const now = options.now ?? Date.now()
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')
  const info: SiwxInfo = {
    domain: origin.host,
    uri,
    version: '1',
    nonce,
    issuedAt: new Date(now).toISOString(),
    expirationTime: new Date(now + (options.ttlMs ?? DEFAULT_CHALLENGE_TTL_MS)).toISOString(),
    ...(options.statement === undefined ? {} : { statement: options.statement }),
    resources: [uri],
  }
  return {
    info,
    supportedChains: options.supportedChains.map((chain) => ({ ...chain })),
    schema: SIWX_PROOF_SCHEMA as Record<string, unknown>,
  }
}
