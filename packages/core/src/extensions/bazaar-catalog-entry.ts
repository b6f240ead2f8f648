import { encodeBase64Json } from '../http/payment-headers.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { BAZAAR, type DiscoveryExtension } from './bazaar-info.js'
import type { JsonSchemaLimits } from './bazaar-json-schema.js'
import { validateDiscoveryExtension } from './bazaar-validate.js'

/** Facilitator → server, on `/verify` and `/settle` answers: base64 JSON of per-extension outcomes. */
export const EXTENSION_RESPONSES_HEADER = 'EXTENSION-RESPONSES'

/** The `bazaar` entry of `EXTENSION-RESPONSES` (extensions/bazaar.md "Verify and Settlement Response Header"). */
export interface BazaarExtensionResponse {
  status: 'success' | 'processing' | 'rejected'
  /** Why the declaration was not cataloged; only with `rejected`. */
  rejectedReason?: string
}

/**
 * Encodes the `EXTENSION-RESPONSES` header: standard base64 of the JSON object keyed by extension.
 * @example encodeExtensionResponses({ bazaar: { status: 'processing' } }) // 'eyJiYXphYXIiOnsic3RhdHVzIjoicHJvY2Vzc2luZyJ9fQ=='
 */
export function encodeExtensionResponses(responses: { bazaar?: BazaarExtensionResponse }): string {
  return encodeBase64Json(responses)
}

/** What a facilitator catalogs for one resource it saw paid: one offer of it, and how to call it. */
export interface DiscoveryCatalogEntry {
  /** The resource's URL without query or fragment; the `routeTemplate` path for a parameterised route. */
  resource: string
  type: 'http' | 'mcp'
  /** The HTTP method, or the MCP tool name: with `resource`, the catalog key. */
  operation: string
  x402Version: number
  description?: string
  mimeType?: string
  serviceName?: string
  /** From `info.tags` and `resource.tags`, sanitized (at most 5, printable ASCII, deduplicated). */
  tags: string[]
  /** The validated declaration. */
  extension: DiscoveryExtension
  /** The requirements the payment was made against. */
  offer: PaymentRequirements
}

/** Whether a payment carried discovery data, and if so the entry to catalog or why not. */
export type DiscoveryExtraction =
  | { kind: 'none' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'entry'; entry: DiscoveryCatalogEntry }

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/
const ROUTE_TEMPLATE = /^\/[a-zA-Z0-9_/:.\-~%]+$/
const MAX_URL_LENGTH = 2048
const MAX_DESCRIPTION_LENGTH = 1000
const MAX_TAGS = 5
const MAX_LABEL_LENGTH = 32
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g

/**
 * Whether `template` may key a catalog entry (extensions/bazaar.md "routeTemplate Validation Rules"): a
 * path of safe characters and `:param` segments, without `..` or `://` even once percent-decoded.
 * @example isValidRouteTemplate('/users/:userId') // true
 */
export function isValidRouteTemplate(template: unknown): template is string {
  if (typeof template !== 'string' || !ROUTE_TEMPLATE.test(template)) return false
  let decoded: string
  try {
    decoded = decodeURIComponent(template)
  } catch {
    return false
  }
  return !decoded.includes('..') && !decoded.includes('://')
}

/** Whether `name` is a valid `resource.serviceName`: printable ASCII, 1–32 characters. */
export function isValidServiceName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_LABEL_LENGTH && PRINTABLE_ASCII.test(name)
}

/**
 * Keeps the first 5 valid tags (printable ASCII, 1–32 characters), dropping invalid ones and repeats
 * (compared case-insensitively), as the spec's service-metadata rules ask.
 * @example sanitizeTags(['Weather', 'weather', '', 'forecast']) // ['Weather', 'forecast']
 */
export function sanitizeTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) return []
  const kept: string[] = []
  const seen = new Set<string>()
  for (const tag of tags) {
    if (kept.length === MAX_TAGS) break
    if (typeof tag !== 'string' || tag.length > MAX_LABEL_LENGTH || !PRINTABLE_ASCII.test(tag)) continue
    const key = tag.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    kept.push(tag)
  }
  return kept
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const cleaned = value.replace(CONTROL, ' ').trim()
  if (cleaned === '') return undefined
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned
}

function canonicalResource(
  url: unknown,
  type: 'http' | 'mcp',
  routeTemplate: string | undefined,
): { ok: true; url: string } | { ok: false; reason: string } {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !URL.canParse(url)) {
    return {
      ok: false,
      reason: `resource.url: must be an absolute URL of at most ${MAX_URL_LENGTH} characters`,
    }
  }
  const parsed = new URL(url)
  const web = parsed.protocol === 'http:' || parsed.protocol === 'https:'
  if (!web && !(type === 'mcp' && parsed.protocol === 'mcp:')) {
    return { ok: false, reason: `resource.url: must be an http(s) URL${type === 'mcp' ? ' or mcp:' : ''}` }
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'resource.url: must not carry credentials' }
  }
  parsed.hash = ''
  if (type === 'mcp') return { ok: true, url: parsed.toString() }
  // The query is the input (described by queryParams), not a different resource.
  if (routeTemplate !== undefined && isValidRouteTemplate(routeTemplate)) {
    return { ok: true, url: `${parsed.origin}${routeTemplate}` }
  }
  parsed.search = ''
  return { ok: true, url: parsed.toString() }
}

/**
 * The catalog entry of a payment that verified or settled, as a facilitator builds it from the
 * `/verify` or `/settle` request (extensions/bazaar.md "Facilitator Behavior"): `none` when the payment
 * carries no `extensions.bazaar`, `rejected` with a reason when the declaration is malformed (see
 * {@link validateDiscoveryExtension}) or the resource URL unusable. Service metadata (`serviceName`,
 * `tags`) is soft-dropped when invalid, as the spec asks; `iconUrl` is not kept.
 * @example const found = discoveryEntryOf(paymentPayload, paymentRequirements); if (found.kind === 'entry') await catalog.upsert(found.entry)
 */
export function discoveryEntryOf(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  limits?: JsonSchemaLimits,
): DiscoveryExtraction {
  const declared = payload.extensions?.[BAZAAR]
  if (declared === undefined) return { kind: 'none' }
  const checked = validateDiscoveryExtension(declared, limits)
  if (!checked.ok) return { kind: 'rejected', reason: checked.reason }
  const { extension } = checked
  const { input } = extension.info
  const resource = payload.resource as (Record<string, unknown> & { url?: unknown }) | undefined
  if (resource === undefined) {
    return {
      kind: 'rejected',
      reason: 'paymentPayload.resource is missing: the catalog needs the resource URL',
    }
  }
  const url = canonicalResource(resource.url, input.type, extension.routeTemplate)
  if (!url.ok) return { kind: 'rejected', reason: url.reason }
  const operation = input.type === 'mcp' ? ((input.tool ?? input.toolName) as string) : input.method
  const entry: DiscoveryCatalogEntry = {
    resource: url.url,
    type: input.type,
    operation,
    x402Version: payload.x402Version,
    tags: sanitizeTags([
      ...(extension.info.tags ?? []),
      ...(Array.isArray(resource.tags) ? (resource.tags as unknown[]) : []),
    ]),
    extension,
    offer: requirements,
  }
  const description = text(
    extension.info.description ??
      (input.type === 'mcp' ? input.description : undefined) ??
      resource.description,
    MAX_DESCRIPTION_LENGTH,
  )
  if (description !== undefined) entry.description = description
  const mimeType = text(resource.mimeType, 128)
  if (mimeType !== undefined && PRINTABLE_ASCII.test(mimeType)) entry.mimeType = mimeType
  if (isValidServiceName(resource.serviceName)) entry.serviceName = resource.serviceName
  return { kind: 'entry', entry }
}
