import {
  type AccessHook,
  type DeclareExtensionsHook,
  type MatchedRoute,
  PAYMENT_SIGNATURE_HEADER,
  type ResourceServerHooks,
  type RouteConfig,
  X402Error,
} from '@open402/core'
import { SIGN_IN_WITH_X, SIGN_IN_WITH_X_HEADER } from '../shared/constants.js'
import { decodeSiwxHeader } from '../shared/siwx-header.js'
import type { SiwxSupportedChain } from '../shared/types.js'
import {
  assertGrant,
  createEntitlementStore,
  type EntitlementKey,
  type EntitlementStore,
  type SiwxGrant,
} from './entitlements.js'
import { createMemorySiwxStorage, type SiwxStorage } from './key-value.js'
import { createNonceStore } from './nonce-store.js'
import { createSiwxChallenge, DEFAULT_CHALLENGE_TTL_MS } from './siwx-challenge.js'
import type { SiwxVerifier } from './siwx-verifier.js'
import { type SiwxVerification, verifySiwx } from './verify-siwx.js'

/** Options of {@link siwx}. */
export interface SiwxOptions {
  /**
   * The public origin clients use, e.g. `https://api.example.com` (behind a proxy: the browser-visible
   * one). `domain` and the `uri` origin are checked against it, never against the request's Host header,
   * which the caller chooses (specs/extensions/sign-in-with-x.md, "Security Considerations").
   */
  origin: string
  /**
   * What a payment buys the wallet that paid: `{ ttlMs }`, `{ uses }` or both, on every route sign-in covers.
   * Required unless `routes` gives a grant per route.
   */
  grant?: SiwxGrant
  /** One per chain family to accept: `evmSiwxVerifier()`, `solanaSiwxVerifier()`. */
  verifiers: SiwxVerifier[]
  /**
   * Which paid routes offer sign-in, by route key (`"GET /report"`), or a grant per route key; default
   * every paid route with `grant`.
   */
  routes?: string[] | Record<string, SiwxGrant>
  /**
   * Used nonces and entitlements: an `@open402/storage` storage (SQLite for one instance, PostgreSQL shared by
   * many) or anything with `keyValue(namespace)`. Default: this process's memory.
   */
  storage?: SiwxStorage
  /** Prefix of the key-value namespaces (default `siwx`: `siwx-nonces`, `siwx-entitlements`). */
  namespace?: string
  /** What an entitlement is for (default: the route key, so paying once covers every path of the route). */
  scope?: (route: string, request: Request) => string
  /** The human sentence wallets show (default "Sign in with the wallet that paid for this resource."). */
  statement?: string
  /** Life of a challenge and largest age of a proof's `issuedAt` (default 5 minutes). */
  challengeTtlMs?: number
  /** Tolerance for instance clocks (default 10 s). */
  clockSkewMs?: number
  /** An entitlement could not be recorded after a settled payment (the paid answer is sent anyway). */
  onError?: (error: unknown) => void
  /** Clock in epoch ms (default `Date.now`; for tests). */
  now?: () => number
}

/** What {@link siwx} returns: options for the payment handler, hooks for the resource server, and its stores. */
export interface Siwx {
  /** Spread into the adapter's options: `paymentMiddleware(server, { routes, ...signIn.handler })`. */
  handler: { access: AccessHook; declareExtensions: DeclareExtensionsHook }
  /** The resource server's hooks: `createResourceServer({ …, hooks: signIn.hooks })` records entitlements. */
  hooks: Required<Pick<ResourceServerHooks, 'afterSettle'>>
  /** Checks a `SIGN-IN-WITH-X` header for `route` (used by `handler.access`; for custom flows). */
  verify(header: string, route: MatchedRoute): Promise<SiwxVerification>
  /** The entitlements (e.g. to grant one by hand, or show what is left). */
  entitlements: EntitlementStore
}

const DEFAULT_STATEMENT = 'Sign in with the wallet that paid for this resource.'

/**
 * Sign-in-with-x for a set of paid routes ("pay once, get remembered"): every unpaid 402 offers a fresh
 * CAIP-122 challenge; a wallet that paid the route and answers the challenge with a valid signature gets
 * in without paying again, for `grant.ttlMs` or `grant.uses` requests. A refused sign-in gets the 402 with
 * the reason (`siwx_expired`, `siwx_nonce_reused`, …) as `error`; a wallet that never paid gets the usual
 * 402. Entitlements are recorded after settlement by `hooks.afterSettle`.
 * @example
 * const signIn = siwx({ origin: 'https://api.example.com', grant: { ttlMs: 86_400_000 }, verifiers: [evmSiwxVerifier()] })
 * const server = createResourceServer({ facilitator, schemes, hooks: signIn.hooks })
 * app.use(paymentMiddleware(server, { routes, ...signIn.handler }))
 * @see https://github.com/coinbase/x402/blob/main/specs/extensions/sign-in-with-x.md
 */
export function siwx(options: SiwxOptions): Siwx {
  const origin = checkOrigin(options.origin)
  const perRoute = options.routes !== undefined && !Array.isArray(options.routes)
  if (options.grant !== undefined || !perRoute) assertGrant(options.grant, 'siwx')
  if (!Array.isArray(options.verifiers) || options.verifiers.length === 0) {
    throw new X402Error('invalid_config', 'siwx: give at least one verifier, e.g. evmSiwxVerifier()')
  }
  const grants = new Map<string, SiwxGrant>()
  if (perRoute) {
    for (const [key, grant] of Object.entries(options.routes as Record<string, SiwxGrant>)) {
      assertGrant(grant, `siwx: route ${JSON.stringify(key)}`)
      grants.set(key, grant)
    }
  }
  const listed = Array.isArray(options.routes) ? new Set(options.routes) : undefined
  const grantFor = (route: string): SiwxGrant | undefined => {
    if (options.routes === undefined) return options.grant
    if (listed) return listed.has(route) ? options.grant : undefined
    return grants.get(route)
  }
  const now = options.now ?? Date.now
  const storage = options.storage ?? createMemorySiwxStorage(now)
  const prefix = options.namespace ?? 'siwx'
  const nonces = createNonceStore(storage, `${prefix}-nonces`)
  const entitlements = createEntitlementStore(storage, `${prefix}-entitlements`)
  const scopeOf = options.scope ?? ((route: string) => route)
  const ttlMs = options.challengeTtlMs ?? DEFAULT_CHALLENGE_TTL_MS
  const statement = options.statement ?? DEFAULT_STATEMENT

  // The chains a route's payments are made on, for which a verifier exists: the sign-in must be on the
  // chain the wallet paid on (a contract wallet's address can have another owner on another chain).
  const chainsByRoute = new WeakMap<RouteConfig, SiwxSupportedChain[]>()
  const chainsOf = (config: RouteConfig): SiwxSupportedChain[] => {
    let chains = chainsByRoute.get(config)
    if (!chains) {
      const networks = (Array.isArray(config.accepts) ? config.accepts : [config.accepts]).map(
        (o) => o.network,
      )
      chains = []
      for (const network of new Set<string>(networks)) {
        const namespace = network.slice(0, network.indexOf(':'))
        const verifier = options.verifiers.find((v) => v.namespace === namespace)
        if (verifier) chains.push({ chainId: network, type: verifier.type })
      }
      chainsByRoute.set(config, chains)
    }
    return chains
  }

  const verify = async (header: string, route: MatchedRoute): Promise<SiwxVerification> => {
    let payload: ReturnType<typeof decodeSiwxHeader>
    try {
      payload = decodeSiwxHeader(header)
    } catch (error) {
      return { valid: false, reason: 'siwx_invalid_header', message: (error as Error).message }
    }
    return verifySiwx(payload, {
      origin,
      supportedChains: chainsOf(route.config),
      verifiers: options.verifiers,
      nonces,
      now: now(),
      maxAgeMs: ttlMs,
      ...(options.clockSkewMs === undefined ? {} : { clockSkewMs: options.clockSkewMs }),
    })
  }

  const access: AccessHook = async (request, route) => {
    const header = request.headers.get(SIGN_IN_WITH_X_HEADER)
    if (header === null || grantFor(route.key) === undefined) return undefined
    const result = await verify(header, route)
    // A request that also carries a payment pays when its sign-in fails.
    const paying = request.headers.has(PAYMENT_SIGNATURE_HEADER)
    if (!result.valid)
      return paying ? undefined : { abort: { reason: result.reason, message: result.message } }
    const key: EntitlementKey = {
      scope: scopeOf(route.key, request),
      chainId: result.chainId,
      address: result.address,
    }
    return (await entitlements.consume(key)) ? 'grant' : undefined
  }

  const declareExtensions: DeclareExtensionsHook = (request, route) => {
    if (grantFor(route.key) === undefined) return undefined
    const supportedChains = chainsOf(route.config)
    if (supportedChains.length === 0) return undefined
    const challenge = createSiwxChallenge({
      origin,
      url: request.url,
      supportedChains,
      statement,
      ttlMs,
      now: now(),
    })
    return { [SIGN_IN_WITH_X]: challenge }
  }

  const afterSettle: Siwx['hooks']['afterSettle'] = async (context, result) => {
    const route = context.route
    const grant = route === undefined ? undefined : grantFor(route)
    const payer = result.payer
    if (route === undefined || grant === undefined || !payer || !context.request) return
    const chainId = context.requirements.network
    const verifier = options.verifiers.find((v) => v.namespace === chainId.slice(0, chainId.indexOf(':')))
    if (!verifier) return
    const key = { scope: scopeOf(route, context.request), chainId, address: verifier.normalizeAddress(payer) }
    try {
      await entitlements.grant(key, grant)
    } catch (error) {
      // The payment is made: its answer must go out even if remembering it failed.
      options.onError?.(error)
    }
  }

  return { handler: { access, declareExtensions }, hooks: { afterSettle }, verify, entitlements }
}

function checkOrigin(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new X402Error(
      'invalid_config',
      `siwx: origin must be an http(s) origin without path, e.g. https://api.example.com; got ${JSON.stringify(value)}`,
    )
  }
  return url.origin
}
