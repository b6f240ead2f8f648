import { z } from 'zod'
import { PaymentRequirementsSchema, ResourceInfoSchema } from './payment-required.js'
import { ExtensionsSchema, X402VersionSchema } from './primitives.js'

/**
 * The client's payment, sent in `PAYMENT-SIGNATURE`; `accepted` echoes one offer verbatim
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2%20PaymentPayload%20Schema | spec §5.2}).
 */
export type PaymentPayload = z.infer<typeof PaymentPayloadSchema>
/** Parses a {@link PaymentPayload}. */
export const PaymentPayloadSchema = z.looseObject({
  /** Protocol version, always 2 ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2.2%20Field%20Descriptions | spec §5.2.2}). */
  x402Version: X402VersionSchema,
  /** The resource being paid for ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2.2%20Field%20Descriptions | spec §5.2.2}). */
  resource: ResourceInfoSchema.optional(),
  /** The offer of `accepts` this payment is for, copied unchanged ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2.2%20Field%20Descriptions | spec §5.2.2}). */
  accepted: PaymentRequirementsSchema,
  /** Scheme-specific payment data, such as a signed authorization ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2.2%20Field%20Descriptions | spec §5.2.2}). */
  payload: z.record(z.string(), z.unknown()),
  /** The server's extensions echoed back, with any data the client adds ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.2.2%20Field%20Descriptions | spec §5.2.2}). */
  extensions: ExtensionsSchema.optional(),
})
