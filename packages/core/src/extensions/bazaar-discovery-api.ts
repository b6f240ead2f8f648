import { z } from 'zod'
import { X402Error } from '../errors/x402-error.js'
import { parseDollars } from '../money/parse-dollars.js'
import { toAtomicUnits } from '../money/to-atomic-units.js'
import { isCaip2 } from '../networks/caip2.js'
import { PaymentRequirementsSchema } from '../schemas/payment-required.js'

/** The facilitator's discovery endpoint (spec §8.1). */
export const DISCOVERY_RESOURCES_PATH = '/discovery/resources'
/** Page size when `limit` is absent (spec §8.1). */
export const DEFAULT_DISCOVERY_LIMIT = 20
/** Largest page (spec §8.1: 1–100). */
export const MAX_DISCOVERY_LIMIT = 100
/** Decimals of the dollar amounts compared by `maxPrice=$…`: 10^-18 dollars, exact for any stablecoin. */
export const USD_SCALE = 18

/**
 * The offers of a listed resource: entries that are not valid V2 requirements (a V1 listing, a future
 * field) are dropped rather than failing the whole page.
 */
const OffersSchema = z.array(z.unknown()).transform((list) =>
  list.flatMap((offer) => {
    const parsed = PaymentRequirementsSchema.safeParse(offer)
    return parsed.success ? [parsed.data] : []
  }),
)

/**
 * One resource of `GET /discovery/resources` (spec §8.2). `lastUpdated` is unix seconds in the spec; the
 * official facilitators send an ISO string, which is accepted. open402 adds `description`, `mimeType`,
 * `tags` and the validated `extensions.bazaar` declaration, as the official facilitators list them.
 */
export const DiscoveryResourceSchema = z.looseObject({
  resource: z.string().min(1),
  type: z.string().min(1),
  x402Version: z.number().int(),
  accepts: OffersSchema,
  lastUpdated: z.union([z.number(), z.string()]),
  metadata: z.record(z.string(), z.unknown()).optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  tags: z.array(z.string()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
})
export type DiscoveryResource = z.output<typeof DiscoveryResourceSchema>

/** The answer of `GET /discovery/resources` (spec §8.1). */
export const DiscoveryResourcesResponseSchema = z.looseObject({
  x402Version: z.number().int(),
  items: z.array(DiscoveryResourceSchema),
  pagination: z.looseObject({
    limit: z.number().int(),
    offset: z.number().int(),
    total: z.number().int(),
  }),
})
export type DiscoveryResourcesResponse = z.output<typeof DiscoveryResourcesResponseSchema>

/**
 * Filters of `GET /discovery/resources`: the spec's `type`, `limit` (1–100, default 20) and `offset`, and
 * open402's `network`, `scheme`, `asset`, `maxPrice` and `q`. The offer filters apply together to one
 * offer: a resource is listed when one of its offers matches them all.
 */
export interface DiscoveryFilters {
  /** `http` or `mcp`. */
  type?: string
  limit?: number
  offset?: number
  /** A CAIP-2 network an offer must be on. */
  network?: string
  scheme?: string
  /** An offer's asset (compared case-insensitively on `eip155:*` networks). */
  asset?: string
  /**
   * The most an offer may cost: atomic units of its asset (`10000`, a bigint) or dollars (`'$0.01'`).
   * Dollars match only offers in assets the facilitator knows as dollar stablecoins, with their decimals.
   */
  maxPrice?: string | number | bigint
  /** Words that must all appear in the description, tags, service name, resource URL or operation. */
  q?: string
}

/** {@link DiscoveryFilters} as a facilitator applies them: defaults filled in, prices converted. */
export interface DiscoveryQuery {
  type?: string
  limit: number
  offset: number
  network?: string
  scheme?: string
  asset?: string
  /** `maxPrice` in atomic units. */
  maxAmount?: bigint
  /** `maxPrice` in dollars, scaled by 10^18 (`$0.01` → 10^16). */
  maxUsd?: bigint
  /** Lower-cased search words (at most 8). */
  terms?: string[]
}

const TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/
const MAX_OFFSET = 1_000_000
const MAX_TERMS = 8

type Parsed = { ok: true; query: DiscoveryQuery } | { ok: false; reason: string }

function integer(name: string, value: string, min: number, max: number): number | string {
  if (!/^\d{1,7}$/.test(value)) return `${name} must be an integer from ${min} to ${max}`
  const number = Number(value)
  return number < min || number > max ? `${name} must be an integer from ${min} to ${max}` : number
}

function parsePrice(value: string): { maxAmount: bigint } | { maxUsd: bigint } | string {
  const reason = 'maxPrice must be atomic units (10000) or dollars ($0.01)'
  if (/^\d{1,78}$/.test(value)) return { maxAmount: BigInt(value) }
  if (!value.startsWith('$') || value.length > 40) return reason
  try {
    return { maxUsd: toAtomicUnits(parseDollars(value), USD_SCALE) }
  } catch {
    return reason
  }
}

/**
 * Reads the query string of `GET /discovery/resources`; a bad parameter gives a reason for a 400.
 * Unknown parameters are ignored (the spec's example uses `metadata[provider]`).
 * @example parseDiscoveryQuery(new URLSearchParams('type=http&limit=10&maxPrice=$0.01'))
 */
export function parseDiscoveryQuery(params: URLSearchParams): Parsed {
  const query: DiscoveryQuery = { limit: DEFAULT_DISCOVERY_LIMIT, offset: 0 }
  const get = (name: string) => {
    const values = params.getAll(name)
    return values.length === 0 ? undefined : values.length > 1 ? null : (values[0] as string)
  }
  for (const name of ['type', 'limit', 'offset', 'network', 'scheme', 'asset', 'maxPrice', 'q']) {
    const value = get(name)
    if (value === undefined) continue
    if (value === null) return { ok: false, reason: `${name} is given more than once` }
    if (name === 'limit' || name === 'offset') {
      const parsed =
        name === 'limit' ? integer(name, value, 1, MAX_DISCOVERY_LIMIT) : integer(name, value, 0, MAX_OFFSET)
      if (typeof parsed === 'string') return { ok: false, reason: parsed }
      query[name] = parsed
    } else if (name === 'network') {
      if (!isCaip2(value)) return { ok: false, reason: 'network must be a CAIP-2 id such as eip155:8453' }
      query.network = value
    } else if (name === 'type' || name === 'scheme') {
      if (!TOKEN.test(value)) return { ok: false, reason: `${name} must be 1-64 letters, digits or _.:-` }
      query[name] = value
    } else if (name === 'asset') {
      if (value.length < 1 || value.length > 128)
        return { ok: false, reason: 'asset must be 1-128 characters' }
      query.asset = value
    } else if (name === 'maxPrice') {
      const price = parsePrice(value.trim())
      if (typeof price === 'string') return { ok: false, reason: price }
      Object.assign(query, price)
    } else {
      const terms = value.toLowerCase().split(/\s+/).filter(Boolean)
      if (value.length > 200 || terms.length > MAX_TERMS) {
        return { ok: false, reason: `q must be at most 200 characters and ${MAX_TERMS} words` }
      }
      if (terms.length > 0) query.terms = terms
    }
  }
  return { ok: true, query }
}

/**
 * The query string of {@link DiscoveryFilters}, checked as the facilitator will check it; throws
 * `X402Error('invalid_config')` with the reason otherwise.
 * @example discoveryQueryString({ type: 'http', maxPrice: '$0.01' }) // 'type=http&maxPrice=%240.01'
 */
export function discoveryQueryString(filters: DiscoveryFilters = {}): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue
    params.set(name, typeof value === 'bigint' ? value.toString() : String(value))
  }
  const parsed = parseDiscoveryQuery(params)
  if (!parsed.ok) throw new X402Error('invalid_config', `discovery filters: ${parsed.reason}`)
  return params.toString()
}
