import { z } from 'zod'
import { AtomicAmountSchema, Caip2Schema, ExtensionsSchema, X402VersionSchema } from './primitives.js'

/**
 * Describes the protected resource
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2, ResourceInfo}).
 */
export type ResourceInfo = z.infer<typeof ResourceInfoSchema>
/** Parses a {@link ResourceInfo}. */
export const ResourceInfoSchema = z.looseObject({
  /** URL of the protected resource ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  url: z.string().min(1),
  /** Human-readable description of the resource ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  description: z.string().optional(),
  /** MIME type of the response the resource returns ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  mimeType: z.string().optional(),
})

/**
 * One way to pay: an entry of `accepts`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2, PaymentRequirements}).
 */
export type PaymentRequirements = z.infer<typeof PaymentRequirementsSchema>
/** Parses a {@link PaymentRequirements}. */
export const PaymentRequirementsSchema = z.looseObject({
  /** Payment scheme identifier, such as `exact` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  scheme: z.string().min(1),
  /** Network to pay on, a CAIP-2 chain id such as `eip155:84532` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  network: Caip2Schema,
  /** Amount to pay in the asset's atomic units, as a decimal string ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  amount: AtomicAmountSchema,
  /** Token contract address (or ISO 4217 code for fiat) of the asset to pay in ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  asset: z.string().min(1),
  /** Recipient address (or role constant) the payment goes to ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  payTo: z.string().min(1),
  /** Most seconds the payment may take to complete ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  maxTimeoutSeconds: z.number().int().positive(),
  /** Scheme-specific information, such as the EIP-712 domain `name` and `version` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  extra: z.record(z.string(), z.unknown()).optional(),
})

/**
 * The server's answer to an unpaid request, sent in `PAYMENT-REQUIRED`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1%20PaymentRequired%20Schema | spec §5.1}).
 */
export type PaymentRequired = z.infer<typeof PaymentRequiredSchema>
/** Parses a {@link PaymentRequired}. */
export const PaymentRequiredSchema = z.looseObject({
  /** Protocol version, always 2 ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  x402Version: X402VersionSchema,
  /** Human-readable reason why payment is required ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  error: z.string().optional(),
  /** The protected resource ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  resource: ResourceInfoSchema,
  /** The ways to pay, any one of which the server accepts ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  accepts: z.array(PaymentRequirementsSchema),
  /** Extensions the server declares, keyed by extension id ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  extensions: ExtensionsSchema.optional(),
})
