import { z } from 'zod'
import { isCaip2 } from '../networks/caip2.js'
import { PaymentPayloadSchema } from './payment-payload.js'
import { PaymentRequirementsSchema } from './payment-required.js'
import { AtomicAmountSchema, Caip2Schema, ExtensionsSchema, X402VersionSchema } from './primitives.js'

/** Body of `POST /verify` and `POST /settle` (spec §7.1, §7.2). */
export const FacilitatorRequestSchema = z.looseObject({
  x402Version: X402VersionSchema,
  paymentPayload: PaymentPayloadSchema,
  paymentRequirements: PaymentRequirementsSchema,
})
export type FacilitatorRequest = z.infer<typeof FacilitatorRequestSchema>
export const VerifyRequestSchema = FacilitatorRequestSchema
export type VerifyRequest = FacilitatorRequest
export const SettleRequestSchema = FacilitatorRequestSchema
export type SettleRequest = FacilitatorRequest

/** Answer of `POST /verify` (spec §5.4). `invalidMessage` is a human-readable addition. */
export const VerifyResponseSchema = z.looseObject({
  isValid: z.boolean(),
  invalidReason: z.string().optional(),
  invalidMessage: z.string().optional(),
  payer: z.string().optional(),
  extensions: ExtensionsSchema.optional(),
})
export type VerifyResponse = z.infer<typeof VerifyResponseSchema>

/**
 * Settlement states reported by open402 in `status` (an addition to the spec's fields, ignored by other
 * implementations): `pending` means the transaction was sent but not confirmed in time.
 */
export const SettlementStatusSchema = z.enum(['confirmed', 'pending', 'failed'])
export type SettlementStatus = z.infer<typeof SettlementStatusSchema>

/** Answer of `POST /settle`, also sent to clients in `PAYMENT-RESPONSE` (spec §5.3). */
export const SettleResponseSchema = z.looseObject({
  success: z.boolean(),
  errorReason: z.string().optional(),
  errorMessage: z.string().optional(),
  payer: z.string().optional(),
  transaction: z.string(),
  network: Caip2Schema,
  amount: AtomicAmountSchema.optional(),
  status: SettlementStatusSchema.optional(),
  extensions: ExtensionsSchema.optional(),
})
export type SettleResponse = z.infer<typeof SettleResponseSchema>

/**
 * One (version, scheme, network) a facilitator supports, with data servers merge into `extra` (spec §7.3).
 * V2 kinds name CAIP-2 networks; facilitators that also serve V1 list kinds with V1 network names
 * (`base-sepolia`), which are accepted here and ignored by V2 resource servers.
 */
export const SupportedKindSchema = z
  .looseObject({
    x402Version: z.number().int().positive(),
    scheme: z.string().min(1),
    network: z.string().min(1),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((kind) => kind.x402Version !== 2 || isCaip2(kind.network), {
    message: 'must be a CAIP-2 chain id (namespace:reference) in an x402Version 2 kind',
    path: ['network'],
  })
export type SupportedKind = z.infer<typeof SupportedKindSchema>

/** Answer of `GET /supported` (spec §7.3). `signers` is keyed by CAIP family pattern, e.g. `eip155:*`. */
export const SupportedResponseSchema = z.looseObject({
  kinds: z.array(SupportedKindSchema),
  extensions: z.array(z.string()).default([]),
  signers: z.record(z.string(), z.array(z.string())).default({}),
})
export type SupportedResponse = z.infer<typeof SupportedResponseSchema>
