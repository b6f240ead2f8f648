import { z } from 'zod'
import { CAIP2_REGEX, isCaip2 } from '../networks/caip2.js'

/**
 * A CAIP-2 network id such as `eip155:8453`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=11.1%20Network%20Identifiers | spec §11.1}).
 */
export const Caip2Schema = z
  .string()
  .refine(isCaip2, { message: 'must be a CAIP-2 chain id (namespace:reference), e.g. eip155:8453' })
  .transform((value) => value as `${string}:${string}`)
  // A refinement is invisible to JSON Schema: the generated schema is told the same rule as a `pattern`.
  .meta({ pattern: CAIP2_REGEX.source })

/**
 * An amount in the asset's atomic units, as a decimal string without sign, exponent or leading zeros
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}).
 */
export const AtomicAmountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer in atomic units, as a decimal string')

/** The protocol version this package speaks. */
export const X402_VERSION = 2 as const

/**
 * The `x402Version` of every V2 message, always `2`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}).
 */
export const X402VersionSchema = z.literal(X402_VERSION, {
  error: 'x402Version must be 2 (this is an x402 V2 implementation)',
})

/**
 * One extension's declaration: `info` data and a JSON Schema (2020-12) for it
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}).
 */
export const ExtensionSchema = z.looseObject({
  /** Extension-specific data provided by the server. */
  info: z.record(z.string(), z.unknown()),
  /** A JSON Schema (draft 2020-12) for `info`; the spec lists it as required, and declarations without it are read. */
  schema: z.record(z.string(), z.unknown()).optional(),
})

/**
 * The extensions map: extension key → declaration or result
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}).
 */
export const ExtensionsSchema = z.record(z.string(), z.unknown())
