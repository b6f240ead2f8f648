import { z } from 'zod'
import { isCaip2 } from '../networks/caip2.js'
import { PaymentPayloadSchema } from './payment-payload.js'
import { PaymentRequirementsSchema } from './payment-required.js'
import { AtomicAmountSchema, Caip2Schema, ExtensionsSchema, X402VersionSchema } from './primitives.js'

/**
 * Body of `POST /verify` and `POST /settle`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.1%20POST%20%2Fverify | spec §7.1}, {@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.2%20POST%20%2Fsettle | §7.2}).
 */
export type FacilitatorRequest = z.infer<typeof FacilitatorRequestSchema>
/** Parses a {@link FacilitatorRequest}. */
export const FacilitatorRequestSchema = z.looseObject({
  /**
   * Protocol version, 2 when present; the spec's example leaves it out, and the version that counts is
   * `paymentPayload.x402Version` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.1%20POST%20%2Fverify | spec §7.1}).
   */
  x402Version: X402VersionSchema.optional(),
  /** The client's payment, as received in `PAYMENT-SIGNATURE` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.1%20POST%20%2Fverify | spec §7.1}). */
  paymentPayload: PaymentPayloadSchema,
  /** The offer the resource server requires this payment to meet ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.1%20POST%20%2Fverify | spec §7.1}). */
  paymentRequirements: PaymentRequirementsSchema,
})
/** Body of `POST /verify` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.1%20POST%20%2Fverify | spec §7.1}). */
export type VerifyRequest = FacilitatorRequest
/** Parses a {@link VerifyRequest}. */
export const VerifyRequestSchema = FacilitatorRequestSchema
/** Body of `POST /settle`, the same as {@link VerifyRequest} ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.2%20POST%20%2Fsettle | spec §7.2}). */
export type SettleRequest = FacilitatorRequest
/** Parses a {@link SettleRequest}. */
export const SettleRequestSchema = FacilitatorRequestSchema

/**
 * Answer of `POST /verify`; `invalidMessage` is a human-readable addition
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.4%20VerifyResponse%20Schema | spec §5.4}).
 */
export type VerifyResponse = z.infer<typeof VerifyResponseSchema>
/** Parses a {@link VerifyResponse}. */
export const VerifyResponseSchema = z.looseObject({
  /** Whether the payment authorization is valid ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.4.2%20Field%20Descriptions | spec §5.4.2}). */
  isValid: z.boolean(),
  /** Reason code of an invalid payment, absent when valid ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.4.2%20Field%20Descriptions | spec §5.4.2}). */
  invalidReason: z.string().optional(),
  /** A sentence explaining `invalidReason`, an open402 addition ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.4.2%20Field%20Descriptions | spec §5.4.2}). */
  invalidMessage: z.string().optional(),
  /** Address of the payer's wallet ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.4.2%20Field%20Descriptions | spec §5.4.2}). */
  payer: z.string().optional(),
  /** Extension results, keyed by extension id ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.1.2%20Field%20Descriptions | spec §5.1.2}). */
  extensions: ExtensionsSchema.optional(),
})

/**
 * Settlement states reported by open402 in `status` (an addition to the spec's fields, ignored by other
 * implementations): `pending` means the transaction was sent but not confirmed in time
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}).
 */
export type SettlementStatus = z.infer<typeof SettlementStatusSchema>
/** Parses a {@link SettlementStatus}. */
export const SettlementStatusSchema = z.enum(['confirmed', 'pending', 'failed'])

/**
 * Answer of `POST /settle`, also sent to clients in `PAYMENT-RESPONSE`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3%20SettlementResponse%20Schema | spec §5.3}).
 */
export type SettleResponse = z.infer<typeof SettleResponseSchema>
/** Parses a {@link SettleResponse}. */
export const SettleResponseSchema = z.looseObject({
  /** Whether the payment was settled ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  success: z.boolean(),
  /** Reason code of a failed settlement, absent on success ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  errorReason: z.string().optional(),
  /** A sentence explaining `errorReason`, an open402 addition ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  errorMessage: z.string().optional(),
  /** Address of the payer's wallet ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  payer: z.string().optional(),
  /** Transaction hash of the settlement, empty when it failed ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  transaction: z.string(),
  /** Network the settlement ran on, a CAIP-2 chain id ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  network: Caip2Schema,
  /** Amount settled in atomic units, an open402 addition ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  amount: AtomicAmountSchema.optional(),
  /** Settlement state (`confirmed`, `pending` or `failed`), an open402 addition ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  status: SettlementStatusSchema.optional(),
  /** Extension results, keyed by extension id ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=5.3.2%20Field%20Descriptions | spec §5.3.2}). */
  extensions: ExtensionsSchema.optional(),
})

/**
 * One (version, scheme, network) a facilitator supports, with data servers merge into `extra`. V2 kinds
 * name CAIP-2 networks; facilitators that also serve V1 list kinds with V1 network names
 * (`base-sepolia`), which are accepted here and ignored by V2 resource servers
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}).
 */
export type SupportedKind = z.infer<typeof SupportedKindSchema>
/** Parses a {@link SupportedKind}. */
export const SupportedKindSchema = z
  .looseObject({
    /** Protocol version of this kind, 2 for V2 ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
    x402Version: z.number().int().positive(),
    /** Payment scheme identifier, such as `exact` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
    scheme: z.string().min(1),
    /** Network, a CAIP-2 chain id in a V2 kind ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
    network: z.string().min(1),
    /** Scheme-specific data, such as a Solana fee payer ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((kind) => kind.x402Version !== 2 || isCaip2(kind.network), {
    message: 'must be a CAIP-2 chain id (namespace:reference) in an x402Version 2 kind',
    path: ['network'],
  })
  // The refinement above, for the JSON Schema: a kind with x402Version 2 has a CAIP-2 network.
  .meta({
    if: { properties: { x402Version: { const: 2 } }, required: ['x402Version'] },
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword `then`, not a promise
    then: { properties: { network: { type: 'string', pattern: Caip2Schema.meta()?.pattern } } },
  })

/**
 * Answer of `GET /supported`; `signers` is keyed by CAIP family pattern, e.g. `eip155:*`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3%20GET%20%2Fsupported | spec §7.3}).
 */
export type SupportedResponse = z.infer<typeof SupportedResponseSchema>
/** Parses a {@link SupportedResponse}. */
export const SupportedResponseSchema = z.looseObject({
  /** The kinds the facilitator can verify and settle ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
  kinds: z.array(SupportedKindSchema),
  /** Ids of the extensions the facilitator implements; empty when absent ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
  extensions: z.array(z.string()).default([]),
  /** Signer addresses by CAIP-2 family pattern; empty when absent ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md#:~:text=7.3.1%20SupportedResponse%20Fields | spec §7.3.1}). */
  signers: z.record(z.string(), z.array(z.string())).default({}),
})
