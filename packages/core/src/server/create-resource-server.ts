import { X402Error } from '../errors/x402-error.js'
import type { PaymentOption, RouteConfig } from '../http/types.js'
import { isCaip2 } from '../networks/caip2.js'
import { createSchemeRegistry } from '../networks/scheme-registry.js'
import { type PaymentRequirements, PaymentRequirementsSchema } from '../schemas/payment-required.js'
import type { FacilitatorClient, Price, SchemeServer } from '../schemes/types.js'
import type { ResourceServer } from './resource-server.js'
import type { ResourceServerHooks } from './resource-server-hooks.js'
import { resolveSettlementAmount } from './settlement-overrides.js'
import { createSupportedCache, type KindSource } from './supported-cache.js'

/** Options of {@link createResourceServer}. */
export interface CreateResourceServerOptions {
  /** One facilitator, or several tried in order for each (scheme, network). */
  facilitator: FacilitatorClient | FacilitatorClient[]
  schemes: SchemeServer[]
  /** How long `/supported` answers are reused (default 10 minutes). */
  supportedTtlMs?: number
  /**
   * Lifecycle hooks around verify and settle, run by the HTTP payment handler for every adapter (README
   * "Lifecycle hooks"). An abort refuses the payment; a hook that throws fails closed: no content.
   */
  hooks?: ResourceServerHooks
}

const DEFAULT_MAX_TIMEOUT_SECONDS = 300

/**
 * Creates the resource-server role: prices routes with the scheme server parts, completes offers with the
 * facilitator's `/supported` kind, and verifies and settles through the facilitator that supports the kind.
 * @example const server = createResourceServer({ facilitator, schemes: [exactEvmServer()] })
 */
export function createResourceServer(options: CreateResourceServerOptions): ResourceServer {
  const facilitators = Array.isArray(options.facilitator) ? options.facilitator : [options.facilitator]
  if (facilitators.length === 0)
    throw new X402Error('invalid_config', 'createResourceServer: no facilitator given')
  const registry = createSchemeRegistry(options.schemes, 'createResourceServer')
  const supported = createSupportedCache(facilitators, options.supportedTtlMs ?? 10 * 60_000)
  // Static options: requirements reused as long as the facilitator's kind object is the same.
  const staticCache = new WeakMap<
    PaymentOption,
    { kind: KindSource['kind']; requirements: PaymentRequirements }
  >()

  function schemeFor(option: PaymentOption): SchemeServer {
    if (!isCaip2(option.network)) {
      throw new X402Error(
        'invalid_config',
        `network ${JSON.stringify(option.network)} is not a CAIP-2 id (e.g. eip155:8453)`,
      )
    }
    const part = registry.resolve(option.scheme, option.network)
    if (!part) {
      throw new X402Error(
        'invalid_config',
        `no scheme server registered for ${option.scheme} on ${option.network}`,
      )
    }
    return part
  }

  async function kindFor(scheme: string, network: string): Promise<KindSource> {
    const found = await supported.find(scheme, network)
    if (!found) {
      throw new X402Error(
        'invalid_config',
        `no facilitator supports ${scheme} on ${network} (x402Version 2) in /supported`,
      )
    }
    return found
  }

  function build(
    option: PaymentOption,
    part: SchemeServer,
    price: Price,
    payTo: string,
    source: KindSource,
  ): PaymentRequirements {
    const amount = part.price(price, option.network)
    const base: PaymentRequirements = {
      scheme: option.scheme,
      network: option.network,
      amount: amount.amount,
      asset: amount.asset,
      payTo,
      maxTimeoutSeconds: option.maxTimeoutSeconds ?? DEFAULT_MAX_TIMEOUT_SECONDS,
      extra: { ...amount.extra, ...option.extra },
    }
    const completed = part.complete ? part.complete(base, source.kind) : base
    const checked = PaymentRequirementsSchema.safeParse(completed)
    if (!checked.success) {
      const issue = checked.error.issues[0]
      throw new X402Error(
        'invalid_config',
        `${option.scheme} on ${option.network} built invalid requirements: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      )
    }
    return checked.data
  }

  async function buildOption(option: PaymentOption, request: Request): Promise<PaymentRequirements> {
    const part = schemeFor(option)
    const source = await kindFor(option.scheme, option.network)
    if (typeof option.price === 'function' || typeof option.payTo === 'function') {
      // Both computed for this request: the 402 and the paid retry each get the price of that moment.
      const [price, payTo] = await Promise.all([
        typeof option.price === 'function' ? option.price(request) : option.price,
        typeof option.payTo === 'function' ? option.payTo(request) : option.payTo,
      ])
      if (typeof payTo !== 'string' || payTo === '') {
        throw new X402Error('invalid_config', `the payTo function returned ${JSON.stringify(payTo)}`)
      }
      return build(option, part, price, payTo, source)
    }
    const cached = staticCache.get(option)
    if (cached && cached.kind === source.kind) return cached.requirements
    const requirements = build(option, part, option.price, option.payTo, source)
    staticCache.set(option, { kind: source.kind, requirements })
    return requirements
  }

  async function facilitatorFor(requirements: PaymentRequirements): Promise<FacilitatorClient> {
    const known = supported.peek(requirements.scheme, requirements.network)
    if (known) return known.facilitator
    return (await kindFor(requirements.scheme, requirements.network)).facilitator
  }

  /**
   * The offers of a route whose prices are all static, without a promise hop per option: answered from
   * the per-option cache while `/supported` is fresh and still announces the same kinds; `undefined` when
   * the slow path must run (dynamic price, stale or missing `/supported`, first request).
   */
  function cachedOffers(accepts: PaymentOption[]): PaymentRequirements[] | undefined {
    const offers: PaymentRequirements[] = []
    for (const option of accepts) {
      const cached = staticCache.get(option)
      if (!cached) return undefined
      const source = supported.peek(option.scheme, option.network)
      if (!source || source.kind !== cached.kind) return undefined
      offers.push(cached.requirements)
    }
    return offers
  }

  return {
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    initialize: () => supported.refresh(),
    findKind: (scheme, network) => supported.find(scheme, network),
    validateOption(option) {
      const part = schemeFor(option)
      if (typeof option.payTo !== 'function' && (typeof option.payTo !== 'string' || option.payTo === '')) {
        throw new X402Error('invalid_config', 'payTo must be a non-empty string or a function of the request')
      }
      const timeout = option.maxTimeoutSeconds
      if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
        throw new X402Error('invalid_config', `maxTimeoutSeconds must be a positive integer, got ${timeout}`)
      }
      if (typeof option.price !== 'function') part.price(option.price, option.network)
    },
    buildRequirements(route: RouteConfig, request: Request) {
      const accepts = Array.isArray(route.accepts) ? route.accepts : [route.accepts]
      const cached = cachedOffers(accepts)
      if (cached) return Promise.resolve(cached)
      return Promise.all(accepts.map((option) => buildOption(option, request)))
    },
    settlementAmount(requirements, amount) {
      return resolveSettlementAmount(amount, requirements, (price) => {
        const part = registry.resolve(requirements.scheme, requirements.network)
        try {
          const converted = part?.price(price, requirements.network)
          return converted?.asset.toLowerCase() === requirements.asset.toLowerCase()
            ? converted.amount
            : undefined
        } catch {
          return undefined
        }
      })
    },
    async verify(payload, requirements) {
      return (await facilitatorFor(requirements)).verify(payload, requirements)
    },
    async settle(payload, requirements) {
      return (await facilitatorFor(requirements)).settle(payload, requirements)
    },
  }
}
