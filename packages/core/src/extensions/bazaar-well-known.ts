import { z } from 'zod'
import { PaymentRequirementsSchema } from '../schemas/payment-required.js'
import { Caip2Schema } from '../schemas/primitives.js'

/** Where a resource server describes its paid routes (an open402 addition, not in the x402 spec). */
export const WELL_KNOWN_X402_PATH = '/.well-known/x402'

/** A payment option whose price or recipient is computed per request: its 402 has the requirements. */
export const WellKnownDynamicOfferSchema = z.looseObject({
  scheme: z.string().min(1),
  network: Caip2Schema,
  /** Present when the recipient is fixed. */
  payTo: z.string().optional(),
  maxTimeoutSeconds: z.number().int().positive().optional(),
})
export type WellKnownDynamicOffer = z.infer<typeof WellKnownDynamicOfferSchema>

/** One paid route of a site, shaped like an item of `GET /discovery/resources` where it can be. */
export const WellKnownRouteSchema = z.looseObject({
  /** The site's origin and the route's path; a path with `:param` or `*` segments is a pattern to fill. */
  resource: z.string().min(1),
  type: z.literal('http'),
  x402Version: z.literal(2),
  /** The route's method; absent when the route takes every method. */
  method: z.string().optional(),
  /** The route's path as configured, e.g. `/users/:id` or `/api/*`. */
  path: z.string().min(1),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  /** The requirements of the options with a fixed price and recipient, as the route's 402 lists them. */
  accepts: z.array(PaymentRequirementsSchema),
  /** The options priced per request (or paying a per-request recipient). */
  dynamicAccepts: z.array(WellKnownDynamicOfferSchema).optional(),
  /** The route's discovery declaration (`extensions.bazaar`), if it has one. */
  extensions: z.record(z.string(), z.unknown()).optional(),
})
export type WellKnownRoute = z.infer<typeof WellKnownRouteSchema>

/**
 * The document at `GET /.well-known/x402`: every paid route of one site, so an agent can discover it
 * without a facilitator's catalog.
 */
export const WellKnownDocumentSchema = z.looseObject({
  x402Version: z.literal(2),
  items: z.array(WellKnownRouteSchema),
})
export type WellKnownDocument = z.infer<typeof WellKnownDocumentSchema>
