import { isX402Error } from '../errors/x402-error.js'
import { BAZAAR } from '../extensions/bazaar-info.js'
import {
  WELL_KNOWN_X402_PATH,
  type WellKnownDocument,
  type WellKnownDynamicOffer,
  type WellKnownRoute,
} from '../extensions/bazaar-well-known.js'
import type { PaymentOption } from '../http/types.js'
import { errorResponse } from './payment-responses.js'
import type { ResourceServer } from './resource-server.js'
import type { CompiledRoute } from './route-table.js'

/** Answers `GET /.well-known/x402` for the paid routes of one HTTP payment handler. */
export interface WellKnownResponder {
  /** Whether `url` is the well-known document's URL (a string check first: this runs for every request). */
  matches(url: string): boolean
  respond(request: Request): Promise<Response>
}

const ROUTE_KEY = /^\s*(?:([A-Za-z]+)\s+)?(\/\S*)\s*$/

function staticOption(option: PaymentOption): boolean {
  return typeof option.price !== 'function' && typeof option.payTo !== 'function'
}

function dynamicOffer(option: PaymentOption): WellKnownDynamicOffer {
  const offer: WellKnownDynamicOffer = {
    scheme: option.scheme,
    network: option.network,
    maxTimeoutSeconds: option.maxTimeoutSeconds ?? 300,
  }
  if (typeof option.payTo === 'string') offer.payTo = option.payTo
  return offer
}

/**
 * Builds the responder of `GET /.well-known/x402` (an open402 addition, see README "Discovery"): one item
 * per paid route with its method, path, description, the requirements of its fixed-price options (as its
 * 402 lists them), its per-request options in `dynamicAccepts`, and its `extensions.bazaar`. It answers
 * 503 `facilitator_unavailable` when the facilitator's `/supported` cannot be read, as the 402 does.
 */
export function createWellKnownResponder(
  server: ResourceServer,
  routes: readonly CompiledRoute[],
  baseHeaders: Readonly<Record<string, string>>,
): WellKnownResponder {
  const headers = { ...baseHeaders, 'cache-control': 'public, max-age=60' }
  // Described on first use: the handler validates the routes after creating this responder.
  const describe = () =>
    routes.map((route) => {
      const [, , path = '/'] = ROUTE_KEY.exec(route.key) ?? []
      const options = Array.isArray(route.config.accepts) ? route.config.accepts : [route.config.accepts]
      const fixed = options.filter(staticOption)
      return {
        route,
        path,
        // Built once: buildRequirements caches requirements per option object.
        fixedConfig: { ...route.config, accepts: fixed },
        hasFixed: fixed.length > 0,
        dynamic: options.filter((option) => !staticOption(option)).map(dynamicOffer),
      }
    })

  let described: ReturnType<typeof describe> | undefined

  return {
    matches: (url) => url.includes(WELL_KNOWN_X402_PATH) && new URL(url).pathname === WELL_KNOWN_X402_PATH,
    async respond(request) {
      const origin = new URL(request.url).origin
      described ??= describe()
      let items: WellKnownRoute[]
      try {
        items = await Promise.all(
          described.map(async ({ route, path, fixedConfig, hasFixed, dynamic }) => {
            const { config } = route
            const item: WellKnownRoute = {
              resource: `${origin}${path}`,
              type: 'http',
              x402Version: 2,
              path,
              accepts: hasFixed ? await server.buildRequirements(fixedConfig, request) : [],
            }
            if (route.method !== undefined) item.method = route.method
            if (config.description !== undefined) item.description = config.description
            if (config.mimeType !== undefined) item.mimeType = config.mimeType
            if (dynamic.length > 0) item.dynamicAccepts = dynamic
            const bazaar = config.extensions?.[BAZAAR]
            if (bazaar !== undefined) item.extensions = { [BAZAAR]: bazaar }
            return item
          }),
        )
      } catch (error) {
        if (isX402Error(error, 'facilitator_unreachable')) {
          return errorResponse(503, 'facilitator_unavailable', error.message, baseHeaders)
        }
        const message = isX402Error(error) ? error.message : 'the payment requirements could not be built'
        return errorResponse(500, 'invalid_payment_requirements', message, baseHeaders)
      }
      const document: WellKnownDocument = { x402Version: 2, items }
      return new Response(request.method === 'HEAD' ? null : JSON.stringify(document), {
        status: 200,
        headers,
      })
    },
  }
}
