import { z } from 'zod'
import { isCaip2 } from '../networks/caip2.js'

/** A CAIP-2 network id such as `eip155:8453`. */
export const Caip2Schema = z
  .string()
  .refine(isCaip2, { message: 'must be a CAIP-2 chain id (namespace:reference), e.g. eip155:8453' })
  .transform((value) => value as `${string}:${string}`)

/** An amount in the asset's atomic units, as a decimal string without sign, exponent or leading zeros. */
export const AtomicAmountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer in atomic units, as a decimal string')

/** The protocol version this package speaks. */
export const X402_VERSION = 2 as const

export const X402VersionSchema = z.literal(X402_VERSION, {
  error: 'x402Version must be 2 (this is an x402 V2 implementation)',
})

/** One extension's declaration: `info` data and a JSON Schema (2020-12) for it (spec §5.1.2). */
export const ExtensionSchema = z.looseObject({
  info: z.record(z.string(), z.unknown()),
  schema: z.record(z.string(), z.unknown()).optional(),
})

/** The extensions map: extension key → declaration or result (spec §5.1.2). */
export const ExtensionsSchema = z.record(z.string(), z.unknown())
