import type { z } from 'zod'
import { X402Error } from '../errors/x402-error.js'
import { type Caip2, isCaip2 } from '../networks/caip2.js'
import { type SettleResponse, SettleResponseSchema } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'
import {
  type PaymentPayloadV1,
  type PaymentRequiredV1,
  PaymentRequiredV1Schema,
  type PaymentRequirementsV1,
  SettleResponseV1Schema,
} from '../schemas/v1.js'
import { type DecodeHeaderOptions, decodeBase64Json, encodeBase64Json } from './payment-headers.js'

// Client-side x402 V1 (transports-v1/http.md): a V1 402 is read into the V2 shape, so the same scheme
// clients and policies choose and sign it, and the V2 payment is written back as V1 for `X-PAYMENT`.
// Servers and the facilitator stay V2-only.

/** Server → client after settlement in x402 V1: base64 JSON `SettleResponseV1`. */
export const V1_PAYMENT_RESPONSE_HEADER = 'X-PAYMENT-RESPONSE'

const SOLANA_MAINNET = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp'
const SOLANA_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'
const SOLANA_TESTNET = 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z'

/**
 * The x402 V1 network names and their CAIP-2 ids: every name of the legacy `x402` 1.x package and of the
 * V1 tables in `@x402/evm` / `@x402/svm` 2.27 (`EVM_NETWORK_CHAIN_ID_MAP`, `V1_TO_V2_NETWORK_MAP`).
 */
export const V1_NETWORKS: Readonly<Record<string, Caip2>> = Object.freeze({
  base: 'eip155:8453',
  'base-sepolia': 'eip155:84532',
  ethereum: 'eip155:1',
  sepolia: 'eip155:11155111',
  polygon: 'eip155:137',
  'polygon-amoy': 'eip155:80002',
  avalanche: 'eip155:43114',
  'avalanche-fuji': 'eip155:43113',
  abstract: 'eip155:2741',
  'abstract-testnet': 'eip155:11124',
  iotex: 'eip155:4689',
  sei: 'eip155:1329',
  'sei-testnet': 'eip155:1328',
  peaq: 'eip155:3338',
  story: 'eip155:1514',
  educhain: 'eip155:41923',
  'skale-base-sepolia': 'eip155:324705682',
  megaeth: 'eip155:4326',
  monad: 'eip155:143',
  stable: 'eip155:988',
  'stable-testnet': 'eip155:2201',
  celo: 'eip155:42220',
  flare: 'eip155:14',
  solana: SOLANA_MAINNET,
  'solana-devnet': SOLANA_DEVNET,
  'solana-testnet': SOLANA_TESTNET,
})

const BY_NAME = new Map<string, Caip2>(Object.entries(V1_NETWORKS))
const BY_CAIP2 = new Map<string, string>(Object.entries(V1_NETWORKS).map(([name, id]) => [id, name]))

/** The CAIP-2 id of an x402 V1 network name (`base-sepolia` → `eip155:84532`); throws `X402Error('invalid_network')`. */
export function caip2FromV1Network(network: string): Caip2 {
  const id = BY_NAME.get(network)
  if (id === undefined) {
    throw new X402Error(
      'invalid_network',
      `${JSON.stringify(network)} is not an x402 V1 network name open402 knows (known: ${[...BY_NAME.keys()].join(', ')})`,
    )
  }
  return id
}

/** The x402 V1 name of a CAIP-2 network (`eip155:84532` → `base-sepolia`); throws `X402Error('invalid_network')`. */
export function v1NetworkFromCaip2(network: string): string {
  const name = BY_CAIP2.get(network)
  if (name === undefined) {
    throw new X402Error(
      'invalid_network',
      `${network} has no x402 V1 network name, so x402 V1 cannot pay on it`,
    )
  }
  return name
}

/**
 * A 402 response body (its text, or JSON already parsed) as an x402 V1 payment request; `undefined` when the
 * body is not one (not JSON, or no `x402Version: 1`). Throws `X402Error('invalid_header')` when the body
 * says `x402Version: 1` but is malformed: in V1 the body plays the role of the `PAYMENT-REQUIRED` header.
 */
export function readPaymentRequiredV1(body: unknown): PaymentRequiredV1 | undefined {
  let data = body
  if (typeof body === 'string') {
    try {
      data = JSON.parse(body)
    } catch {
      return undefined
    }
  }
  if (data === null || typeof data !== 'object' || (data as { x402Version?: unknown }).x402Version !== 1) {
    return undefined
  }
  return parseOrThrow('402 body (x402 V1)', PaymentRequiredV1Schema, data)
}

/**
 * The V2 view of an x402 V1 402 (spec §5.1 of each version): networks as CAIP-2 ids, `maxAmountRequired`
 * as `amount`, the first offer's resource as `resource`. Offers on V1 networks open402 does not know are
 * left out; when that leaves none, throws `X402Error('no_scheme_registered')` naming each, as
 * `createPaymentClient` does for offers it has no scheme for.
 * @example
 * const v1 = readPaymentRequiredV1(await response.text())
 * if (v1) headers.set('X-PAYMENT', encodeXPayment(paymentPayloadToV1(await client.createPaymentPayload(paymentRequiredFromV1(v1)))))
 */
export function paymentRequiredFromV1(value: PaymentRequiredV1): PaymentRequired {
  const first = value.accepts[0]
  if (first === undefined) {
    throw new X402Error(
      'no_scheme_registered',
      'no acceptable payment option: the server offered no way to pay',
    )
  }
  const accepts: PaymentRequirements[] = []
  const unknown: string[] = []
  for (const [index, offer] of value.accepts.entries()) {
    const network = BY_NAME.get(offer.network)
    if (network === undefined) {
      unknown.push(
        `offer ${index + 1} (${offer.scheme} on ${offer.network}, ${offer.maxAmountRequired} of ${offer.asset}): ${JSON.stringify(offer.network)} is not an x402 V1 network name open402 knows`,
      )
      continue
    }
    accepts.push(requirementsFromV1(offer, network))
  }
  if (accepts.length === 0) {
    throw new X402Error(
      'no_scheme_registered',
      `no acceptable payment option: ${unknown.join('; ')} (known: ${[...BY_NAME.keys()].join(', ')})`,
    )
  }
  return {
    x402Version: 2,
    ...(value.error === undefined ? {} : { error: value.error }),
    resource: {
      url: first.resource,
      ...(first.description ? { description: first.description } : {}),
      ...(first.mimeType ? { mimeType: first.mimeType } : {}),
    },
    accepts,
  }
}

function requirementsFromV1(offer: PaymentRequirementsV1, network: Caip2): PaymentRequirements {
  return {
    scheme: offer.scheme,
    network,
    amount: offer.maxAmountRequired,
    asset: offer.asset,
    payTo: offer.payTo,
    maxTimeoutSeconds: offer.maxTimeoutSeconds,
    ...(offer.extra ? { extra: offer.extra } : {}),
  }
}

/** The x402 V1 form of a payment made for a {@link paymentRequiredFromV1} view: `{x402Version: 1, scheme, network, payload}`. */
export function paymentPayloadToV1(payment: PaymentPayload): PaymentPayloadV1 {
  return {
    x402Version: 1,
    scheme: payment.accepted.scheme,
    network: v1NetworkFromCaip2(payment.accepted.network),
    payload: payment.payload,
  }
}

/** Encodes an x402 V1 payment for the `X-PAYMENT` header (standard base64 of its JSON). */
export function encodeXPayment(value: PaymentPayloadV1): string {
  return encodeBase64Json(value)
}

/**
 * Decodes an `X-PAYMENT-RESPONSE` header into a V2 `SettleResponse` (the network as its CAIP-2 id), the
 * shape `decodePaymentResponse` gives; throws `X402Error('invalid_header' | 'header_too_large')`.
 */
export function decodeXPaymentResponse(value: string, options?: DecodeHeaderOptions): SettleResponse {
  const header = V1_PAYMENT_RESPONSE_HEADER
  const settlement = parseOrThrow(header, SettleResponseV1Schema, decodeBase64Json(header, value, options))
  const id = isCaip2(settlement.network) ? settlement.network : BY_NAME.get(settlement.network)
  if (id === undefined) {
    throw new X402Error(
      'invalid_header',
      `${header}: network ${JSON.stringify(settlement.network)} is neither an x402 V1 network name open402 knows nor a CAIP-2 id`,
    )
  }
  return parseOrThrow(header, SettleResponseSchema, { ...settlement, network: id })
}

function parseOrThrow<T>(what: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
  throw new X402Error('invalid_header', `${what}: ${path}: ${issue?.message ?? 'invalid'}`)
}
