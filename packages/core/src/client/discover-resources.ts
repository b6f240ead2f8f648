import type { z } from 'zod'
import { isX402Error, X402Error, type X402ErrorCode } from '../errors/x402-error.js'
import {
  DISCOVERY_RESOURCES_PATH,
  type DiscoveryFilters,
  type DiscoveryResourcesResponse,
  DiscoveryResourcesResponseSchema,
  discoveryQueryString,
} from '../extensions/bazaar-discovery-api.js'
import {
  WELL_KNOWN_X402_PATH,
  type WellKnownDocument,
  WellKnownDocumentSchema,
} from '../extensions/bazaar-well-known.js'
import type { Caip2 } from '../networks/caip2.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { PaymentClient } from './create-payment-client.js'

/** Where to discover from: a URL, or a URL with the fetch, headers and timeout to use. */
export interface DiscoverySource {
  url: string | URL
  fetch?: typeof fetch
  /** Extra headers, e.g. an `Authorization` for a facilitator that wants one. */
  headers?: Record<string, string>
  /** Default 10 000 ms. */
  timeoutMs?: number
}

type Codes = { unreachable: X402ErrorCode; status: X402ErrorCode; invalid: X402ErrorCode }

async function getJson<T>(
  source: string | URL | DiscoverySource,
  path: string,
  query: string,
  schema: z.ZodType<T>,
  codes: Codes,
): Promise<T> {
  const options: DiscoverySource =
    typeof source === 'string' || source instanceof URL ? { url: source } : source
  const base = String(options.url).replace(/\/+$/, '')
  const url = `${base}${path}${query === '' ? '' : `?${query}`}`
  const doFetch = options.fetch ?? globalThis.fetch
  let response: Response
  try {
    response = await doFetch(url, {
      headers: { Accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new X402Error(codes.unreachable, `GET ${url} failed: ${message}`, { cause: error })
  }
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (!response.ok) {
    const detail = (json as { message?: unknown } | undefined)?.message
    const suffix = typeof detail === 'string' ? `: ${detail}` : ''
    throw new X402Error(codes.status, `GET ${url} answered ${response.status}${suffix}`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new X402Error(
      codes.invalid,
      `GET ${url} answered something else than expected: ${issue?.path.join('.') || '(body)'}: ${issue?.message}`,
    )
  }
  return parsed.data
}

/**
 * Lists resources from a facilitator's discovery catalog, `GET /discovery/resources` (spec §8): the spec's
 * `type`, `limit` and `offset`, and open402's `network`, `scheme`, `asset`, `maxPrice` and `q` filters.
 * Offers that are not valid V2 requirements are left out of each item's `accepts`. Throws
 * `X402Error('facilitator_unreachable' | 'facilitator_http_error' | 'facilitator_response_invalid')`, and
 * `invalid_config` for filters the facilitator would refuse.
 * @example const { items } = await discoverResources('http://127.0.0.1:4020', { network: 'eip155:8453', maxPrice: '$0.01', q: 'weather' })
 */
export function discoverResources(
  facilitator: string | URL | DiscoverySource,
  filters: DiscoveryFilters = {},
): Promise<DiscoveryResourcesResponse> {
  const query = discoveryQueryString(filters)
  return getJson(facilitator, DISCOVERY_RESOURCES_PATH, query, DiscoveryResourcesResponseSchema, {
    unreachable: 'facilitator_unreachable',
    status: 'facilitator_http_error',
    invalid: 'facilitator_response_invalid',
  })
}

/**
 * Reads one site's paid routes from its `GET /.well-known/x402` (an open402 addition; README
 * "Discovery"), with no facilitator involved. Only the site's origin of `site` is used. Throws
 * `X402Error('discovery_failed')` when the site does not answer, answers an error or another document.
 * @example const { items } = await discoverSite('https://api.example.com')
 */
export function discoverSite(site: string | URL | DiscoverySource): Promise<WellKnownDocument> {
  const options: DiscoverySource = typeof site === 'string' || site instanceof URL ? { url: site } : site
  let origin: string
  try {
    origin = new URL(String(options.url)).origin
  } catch {
    throw new X402Error('invalid_config', `${JSON.stringify(String(options.url))} is not an absolute URL`)
  }
  return getJson({ ...options, url: origin }, WELL_KNOWN_X402_PATH, '', WellKnownDocumentSchema, {
    unreachable: 'discovery_failed',
    status: 'discovery_failed',
    invalid: 'discovery_failed',
  })
}

/** What {@link selectCheapestOffer} needs of a discovered resource (an item of either listing fits). */
export interface DiscoveredResourceLike {
  resource: string
  accepts: readonly PaymentRequirements[]
  description?: string
}

/** Options of {@link selectCheapestOffer}. */
export interface SelectCheapestOfferOptions {
  /**
   * Decimals of an asset, to compare offers in different assets (e.g. a 6- and an 18-decimal stablecoin);
   * without them, amounts of different assets are compared as atomic units.
   */
  decimals?: (network: Caip2, asset: string) => number | undefined
}

/** The resource and offer {@link selectCheapestOffer} chose. */
export interface CheapestOffer<T extends DiscoveredResourceLike> {
  item: T
  requirements: PaymentRequirements
}

/**
 * Chooses, among discovered resources, the cheapest offer `client` can pay: for each resource, the offer
 * `client.selectRequirements` picks (a registered scheme for its network, every policy allowing it,
 * budgets per host of the resource's URL, then the client's preferences), then the cheapest of those.
 * Throws `X402Error('no_scheme_registered' | 'payment_refused_by_policy')` naming why each resource was
 * refused when none is payable.
 * @example const { item, requirements } = selectCheapestOffer(client, (await discoverResources(url, { q: 'weather' })).items)
 */
export function selectCheapestOffer<T extends DiscoveredResourceLike>(
  client: PaymentClient,
  items: readonly T[],
  options: SelectCheapestOfferOptions = {},
): CheapestOffer<T> {
  const refusals: string[] = []
  let noScheme = 0
  let best: CheapestOffer<T> | undefined
  for (const item of items) {
    if (item.accepts.length === 0) {
      refusals.push(`${item.resource}: lists no x402 V2 offer`)
      continue
    }
    let requirements: PaymentRequirements
    try {
      requirements = client.selectRequirements(
        { x402Version: 2, resource: { url: item.resource }, accepts: [...item.accepts] },
        { url: item.resource },
      )
    } catch (error) {
      if (!isX402Error(error)) throw error
      if (error.code === 'no_scheme_registered') noScheme++
      refusals.push(`${item.resource}: ${error.message}`)
      continue
    }
    if (!best || comparePrice(requirements, best.requirements, options.decimals) < 0) {
      best = { item, requirements }
    }
  }
  if (best) return best
  const code =
    noScheme === items.length && items.length > 0 ? 'no_scheme_registered' : 'payment_refused_by_policy'
  const detail = refusals.length > 0 ? refusals.join('; ') : 'no resource was discovered'
  throw new X402Error(code, `no payable discovered resource: ${detail}`)
}

function comparePrice(
  a: PaymentRequirements,
  b: PaymentRequirements,
  decimalsOf: SelectCheapestOfferOptions['decimals'],
): number {
  let left = BigInt(a.amount)
  let right = BigInt(b.amount)
  const da = decimalsOf?.(a.network, a.asset)
  const db = decimalsOf?.(b.network, b.asset)
  if (da !== undefined && db !== undefined) {
    left *= 10n ** BigInt(db)
    right *= 10n ** BigInt(da)
  }
  return left < right ? -1 : left > right ? 1 : 0
}
