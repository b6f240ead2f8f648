import { z } from 'zod'
import { PaymentRequirementsSchema, ResourceInfoSchema } from './payment-required.js'
import { ExtensionsSchema, X402VersionSchema } from './primitives.js'

/** The client's payment, sent in `PAYMENT-SIGNATURE` (spec §5.2). `accepted` echoes one offer verbatim. */
export const PaymentPayloadSchema = z.looseObject({
  x402Version: X402VersionSchema,
  resource: ResourceInfoSchema.optional(),
  accepted: PaymentRequirementsSchema,
  payload: z.record(z.string(), z.unknown()),
  extensions: ExtensionsSchema.optional(),
})
export type PaymentPayload = z.infer<typeof PaymentPayloadSchema>
