import { z } from 'zod'
import { AtomicAmountSchema, Caip2Schema, ExtensionsSchema, X402VersionSchema } from './primitives.js'

/** Describes the protected resource (spec §5.1.2, ResourceInfo). */
export const ResourceInfoSchema = z.looseObject({
  url: z.string().min(1),
  description: z.string().optional(),
  mimeType: z.string().optional(),
})
export type ResourceInfo = z.infer<typeof ResourceInfoSchema>

/** One way to pay: an entry of `accepts` (spec §5.1.2, PaymentRequirements). */
export const PaymentRequirementsSchema = z.looseObject({
  scheme: z.string().min(1),
  network: Caip2Schema,
  amount: AtomicAmountSchema,
  asset: z.string().min(1),
  payTo: z.string().min(1),
  maxTimeoutSeconds: z.number().int().positive(),
  extra: z.record(z.string(), z.unknown()).optional(),
})
export type PaymentRequirements = z.infer<typeof PaymentRequirementsSchema>

/** The server's answer to an unpaid request, sent in `PAYMENT-REQUIRED` (spec §5.1). */
export const PaymentRequiredSchema = z.looseObject({
  x402Version: X402VersionSchema,
  error: z.string().optional(),
  resource: ResourceInfoSchema,
  accepts: z.array(PaymentRequirementsSchema),
  extensions: ExtensionsSchema.optional(),
})
export type PaymentRequired = z.infer<typeof PaymentRequiredSchema>
