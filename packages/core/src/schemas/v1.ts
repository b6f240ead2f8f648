import { z } from 'zod'
import { AtomicAmountSchema } from './primitives.js'

// x402 V1 wire types (x402-specification-v1.md §5, transports-v1/http.md), read and written by clients only:
// open402's servers and facilitator speak V2. Networks are V1 names (`base-sepolia`), mapped to CAIP-2 ids
// by `http/x402-v1.ts`; unknown names pass the schema so the client can say which offer it cannot pay.

/** x402 V1: one way to pay, an entry of a V1 402 body's `accepts`. */
export const PaymentRequirementsV1Schema = z.looseObject({
  scheme: z.string().min(1),
  network: z.string().min(1),
  maxAmountRequired: AtomicAmountSchema,
  resource: z.string().min(1),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  outputSchema: z.record(z.string(), z.unknown()).nullable().optional(),
  payTo: z.string().min(1),
  maxTimeoutSeconds: z.number().int().positive(),
  asset: z.string().min(1),
  extra: z.record(z.string(), z.unknown()).nullable().optional(),
})
export type PaymentRequirementsV1 = z.infer<typeof PaymentRequirementsV1Schema>

/** x402 V1: the JSON body of a 402 (V1 has no `PAYMENT-REQUIRED` header). */
export const PaymentRequiredV1Schema = z.looseObject({
  x402Version: z.literal(1),
  error: z.string().optional(),
  accepts: z.array(PaymentRequirementsV1Schema),
})
export type PaymentRequiredV1 = z.infer<typeof PaymentRequiredV1Schema>

/** x402 V1: the payment a client sends in `X-PAYMENT` (base64 JSON). */
export const PaymentPayloadV1Schema = z.looseObject({
  x402Version: z.literal(1),
  scheme: z.string().min(1),
  network: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
})
export type PaymentPayloadV1 = z.infer<typeof PaymentPayloadV1Schema>

/** x402 V1: the settlement a server returns in `X-PAYMENT-RESPONSE` (base64 JSON). */
export const SettleResponseV1Schema = z.looseObject({
  success: z.boolean(),
  errorReason: z.string().optional(),
  payer: z.string().optional(),
  transaction: z.string(),
  network: z.string().min(1),
})
export type SettleResponseV1 = z.infer<typeof SettleResponseV1Schema>
