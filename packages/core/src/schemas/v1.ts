import { z } from 'zod'
import { AtomicAmountSchema } from './primitives.js'

// x402 V1 wire types (x402-specification-v1.md §5, transports-v1/http.md), read and written by clients only:
// open402's servers and facilitator speak V2. Networks are V1 names (`base-sepolia`), mapped to CAIP-2 ids
// by `http/x402-v1.ts`; unknown names pass the schema so the client can say which offer it cannot pay.

/**
 * x402 V1: one way to pay, an entry of a V1 402 body's `accepts`
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}).
 */
export type PaymentRequirementsV1 = z.infer<typeof PaymentRequirementsV1Schema>
/** Parses a {@link PaymentRequirementsV1}. */
export const PaymentRequirementsV1Schema = z.looseObject({
  /** Payment scheme identifier, such as `exact` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  scheme: z.string().min(1),
  /** V1 network name, such as `base-sepolia` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  network: z.string().min(1),
  /** Amount to pay in the asset's atomic units, as a decimal string ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  maxAmountRequired: AtomicAmountSchema,
  /** URL of the protected resource ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  resource: z.string().min(1),
  /** Human-readable description of the resource ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  description: z.string().optional(),
  /** MIME type of the response the resource returns ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  mimeType: z.string().optional(),
  /** JSON Schema of the response, or null ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  outputSchema: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Recipient address the payment goes to ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  payTo: z.string().min(1),
  /** Most seconds the payment may take to complete ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  maxTimeoutSeconds: z.number().int().positive(),
  /** Token contract address of the asset to pay in ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  asset: z.string().min(1),
  /** Scheme-specific information, or null ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  extra: z.record(z.string(), z.unknown()).nullable().optional(),
})

/**
 * x402 V1: the JSON body of a 402 (V1 has no `PAYMENT-REQUIRED` header)
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1%20PaymentRequirementsResponse%20Schema | V1 spec §5.1}).
 */
export type PaymentRequiredV1 = z.infer<typeof PaymentRequiredV1Schema>
/** Parses a {@link PaymentRequiredV1}. */
export const PaymentRequiredV1Schema = z.looseObject({
  /** Protocol version, always 1 ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  x402Version: z.literal(1),
  /** Human-readable reason why payment is required ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  error: z.string().optional(),
  /** The ways to pay, any one of which the server accepts ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.1.2%20Field%20Descriptions | V1 spec §5.1.2}). */
  accepts: z.array(PaymentRequirementsV1Schema),
})

/**
 * x402 V1: the payment a client sends in `X-PAYMENT` (base64 JSON)
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.2%20PaymentPayload%20Schema | V1 spec §5.2}).
 */
export type PaymentPayloadV1 = z.infer<typeof PaymentPayloadV1Schema>
/** Parses a {@link PaymentPayloadV1}. */
export const PaymentPayloadV1Schema = z.looseObject({
  /** Protocol version, always 1 ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.2.2%20Field%20Descriptions | V1 spec §5.2.2}). */
  x402Version: z.literal(1),
  /** Payment scheme identifier, such as `exact` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.2.2%20Field%20Descriptions | V1 spec §5.2.2}). */
  scheme: z.string().min(1),
  /** V1 network name, such as `base-sepolia` ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.2.2%20Field%20Descriptions | V1 spec §5.2.2}). */
  network: z.string().min(1),
  /** Scheme-specific payment data, such as a signed authorization ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.2.2%20Field%20Descriptions | V1 spec §5.2.2}). */
  payload: z.record(z.string(), z.unknown()),
})

/**
 * x402 V1: the settlement a server returns in `X-PAYMENT-RESPONSE` (base64 JSON)
 * ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3%20SettlementResponse%20Schema | V1 spec §5.3}).
 */
export type SettleResponseV1 = z.infer<typeof SettleResponseV1Schema>
/** Parses a {@link SettleResponseV1}. */
export const SettleResponseV1Schema = z.looseObject({
  /** Whether the payment was settled ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3.2%20Field%20Descriptions | V1 spec §5.3.2}). */
  success: z.boolean(),
  /** Reason code of a failed settlement, absent on success ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3.2%20Field%20Descriptions | V1 spec §5.3.2}). */
  errorReason: z.string().optional(),
  /** Address of the payer's wallet ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3.2%20Field%20Descriptions | V1 spec §5.3.2}). */
  payer: z.string().optional(),
  /** Transaction hash of the settlement, empty when it failed ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3.2%20Field%20Descriptions | V1 spec §5.3.2}). */
  transaction: z.string(),
  /** V1 network name the settlement ran on ({@link https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md#:~:text=5.3.2%20Field%20Descriptions | V1 spec §5.3.2}). */
  network: z.string().min(1),
})
