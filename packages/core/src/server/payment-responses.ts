import {
  encodeBase64Text,
  encodePaymentResponse,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
} from '../http/payment-headers.js'
import type { PaywallRenderer, RouteConfig } from '../http/types.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'

const MAX_CACHED_URLS = 128
const REQUIRED_KEY = PAYMENT_REQUIRED_HEADER.toLowerCase()
const RESPONSE_KEY = PAYMENT_RESPONSE_HEADER.toLowerCase()

/**
 * Builds the 402 answers of one paid route. The PaymentRequired JSON is assembled from pre-serialised
 * pieces (resource description, extensions, accepts), so static data is never re-serialised per request,
 * and the unpaid 402 for a URL seen before reuses its encoded header.
 */
export class RoutePaymentRequired {
  private readonly resourceTail: string
  private readonly extensionsTail: string
  /** The route's static extensions, under which a request's own declarations are merged. */
  private readonly extensions: Record<string, unknown> | undefined
  private acceptsCache: { offers: readonly PaymentRequirements[]; json: string } | undefined
  private readonly unpaid = new Map<string, { acceptsJson: string; json: string; header: string }>()
  /** The route's HTML 402 for browsers, if it has one (`paywall` of the route, else of the handler). */
  readonly paywall: PaywallRenderer | undefined

  constructor(
    route: RouteConfig,
    private readonly baseHeaders: Readonly<Record<string, string>>,
    paywall?: PaywallRenderer,
  ) {
    this.paywall = route.paywall === false ? undefined : (route.paywall ?? paywall)
    const resource: Record<string, string> = {}
    if (route.description !== undefined) resource.description = route.description
    if (route.mimeType !== undefined) resource.mimeType = route.mimeType
    const resourceJson = JSON.stringify(resource)
    this.resourceTail = resourceJson === '{}' ? '' : `,${resourceJson.slice(1, -1)}`
    this.extensions = route.extensions
    this.extensionsTail =
      route.extensions === undefined ? '' : `,"extensions":${JSON.stringify(route.extensions)}`
  }

  private acceptsJson(offers: readonly PaymentRequirements[]): string {
    const cached = this.acceptsCache
    if (
      cached &&
      cached.offers.length === offers.length &&
      cached.offers.every((offer, i) => offer === offers[i])
    ) {
      return cached.json
    }
    const json = JSON.stringify(offers)
    this.acceptsCache = { offers, json }
    return json
  }

  private json(
    url: string,
    error: string,
    acceptsJson: string,
    tail = '',
    extensions?: Record<string, unknown>,
  ): string {
    const extensionsTail =
      extensions === undefined
        ? this.extensionsTail
        : `,"extensions":${JSON.stringify({ ...this.extensions, ...extensions })}`
    return `{"x402Version":2,"error":${JSON.stringify(error)},"resource":{"url":${JSON.stringify(url)}${this.resourceTail}},"accepts":${acceptsJson}${extensionsTail}${tail}}`
  }

  /** `extensions`: this request's own declarations (handler option `declareExtensions`); never cached. */
  private unpaidEntry(
    request: Request,
    offers: readonly PaymentRequirements[],
    extensions?: Record<string, unknown>,
  ) {
    const acceptsJson = this.acceptsJson(offers)
    if (extensions !== undefined) {
      const json = this.json(request.url, 'Payment required', acceptsJson, '', extensions)
      return { acceptsJson, json, header: encodeBase64Text(json) }
    }
    let entry = this.unpaid.get(request.url)
    if (!entry || entry.acceptsJson !== acceptsJson) {
      const json = this.json(request.url, 'Payment required', acceptsJson)
      entry = { acceptsJson, json, header: encodeBase64Text(json) }
      if (this.unpaid.size >= MAX_CACHED_URLS) this.unpaid.clear()
      this.unpaid.set(request.url, entry)
    }
    return entry
  }

  /** The 402 for a request without payment (`error: "Payment required"`). */
  unpaidResponse(
    request: Request,
    offers: readonly PaymentRequirements[],
    extensions?: Record<string, unknown>,
  ): Response {
    const entry = this.unpaidEntry(request, offers, extensions)
    return this.response(request, entry.json, entry.header)
  }

  /**
   * The unpaid 402 for a browser: the route's paywall HTML as body, the same PAYMENT-REQUIRED header. HEAD
   * does not render. A renderer that throws or answers a non-string gets the JSON 402 instead: a broken
   * page must not hide the payment terms.
   */
  async paywallResponse(
    request: Request,
    offers: readonly PaymentRequirements[],
    paywall: PaywallRenderer,
    extensions?: Record<string, unknown>,
  ): Promise<Response> {
    const entry = this.unpaidEntry(request, offers, extensions)
    let html: string | null = null
    if (request.method !== 'HEAD') {
      try {
        const rendered = await paywall(JSON.parse(entry.json) as PaymentRequired, request)
        if (typeof rendered !== 'string') return this.response(request, entry.json, entry.header)
        html = rendered
      } catch {
        return this.response(request, entry.json, entry.header)
      }
    }
    const headers: Record<string, string> = {
      ...this.baseHeaders,
      'content-type': 'text/html; charset=utf-8',
      vary: 'Accept',
      [REQUIRED_KEY]: entry.header,
    }
    return new Response(html, { status: 402, headers })
  }

  /** A 402 whose `error` is a reason code, with a human `message` in the JSON body and optionally PAYMENT-RESPONSE. */
  refusalResponse(
    request: Request,
    offers: readonly PaymentRequirements[],
    error: string,
    message: string | undefined,
    settlement?: SettleResponse,
    extensions?: Record<string, unknown>,
  ): Response {
    const acceptsJson = this.acceptsJson(offers)
    const json = this.json(request.url, error, acceptsJson, '', extensions)
    const body = message === undefined ? json : `${json.slice(0, -1)},"message":${JSON.stringify(message)}}`
    return this.response(request, body, encodeBase64Text(json), settlement, error)
  }

  // Headers as a plain record, not a `Headers` object: cheaper to build, and servers such as
  // @hono/node-server write a record straight to the socket without converting it again.
  private response(
    request: Request,
    body: string,
    header: string,
    settlement?: SettleResponse,
    error?: string,
  ): Response {
    const headers: Record<string, string> = { ...this.baseHeaders, [REQUIRED_KEY]: header }
    if (settlement) headers[RESPONSE_KEY] = encodePaymentResponse(settlement)
    return new Response(request.method === 'HEAD' ? null : body, { status: statusOf(error), headers })
  }
}

/**
 * The status of a refusal: 402, except a Permit2 payment whose token allowance is missing, which the spec
 * answers 412 Precondition Failed (the client must approve Permit2 first, or use gas sponsoring).
 */
function statusOf(error: string | undefined): number {
  return error === 'permit2_allowance_required' ? 412 : 402
}

const HTML = /text\/html/i

/**
 * Whether an `Accept` header asks for HTML before JSON, as a browser navigation does
 * (`text/html,application/xhtml+xml,…,*\/*;q=0.8`). `*\/*` alone (fetch, curl) and JSON clients answer false;
 * a tie between `text/html` and `application/json` goes to JSON.
 */
export function prefersHtml(accept: string | null): boolean {
  if (accept === null || !HTML.test(accept)) return false
  let html = 0
  let json = 0
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';')
    const name = type.trim().toLowerCase()
    if (name !== 'text/html' && name !== 'application/json') continue
    let quality = 1
    for (const parameter of parameters) {
      const [key = '', value = ''] = parameter.split('=')
      if (key.trim().toLowerCase() !== 'q') continue
      const parsed = Number(value.trim())
      quality = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0
    }
    if (name === 'text/html') html = Math.max(html, quality)
    else json = Math.max(json, quality)
  }
  return html > json
}

/** A JSON error answer (`{ error, message }`) such as 400 `invalid_payment_header` or 503 `facilitator_unavailable`. */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  baseHeaders: Readonly<Record<string, string>>,
): Response {
  return new Response(JSON.stringify({ error, message }), { status, headers: { ...baseHeaders } })
}
