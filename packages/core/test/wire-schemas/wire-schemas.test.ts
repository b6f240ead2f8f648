import { readdirSync, readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, test } from 'vitest'
import type { z } from 'zod'
import { renderJsonSchemas, SCHEMA_ID_BASE, WIRE_SCHEMAS } from '../../scripts/json-schemas.js'
import { isX402Error } from '../../src/errors/x402-error.js'
import { DiscoveryResourcesResponseSchema } from '../../src/extensions/bazaar-discovery-api.js'
import { decodePaymentRequired, decodePaymentSignature } from '../../src/http/payment-headers.js'
import { isCaip2 } from '../../src/networks/caip2.js'
import {
  PaymentPayloadSchema,
  PaymentRequiredSchema,
  PaymentRequirementsSchema,
  SettleResponseSchema,
  SupportedKindSchema,
  SupportedResponseSchema,
  VerifyRequestSchema,
  VerifyResponseSchema,
} from '../../src/schemas/index.js'
import * as spec from './spec-examples.js'

const directory = new URL('../../schemas/', import.meta.url)
const committed = new Map(
  readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [
      file.slice(0, -'.json'.length),
      JSON.parse(readFileSync(new URL(file, directory), 'utf8')),
    ]),
)

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true })
for (const schema of committed.values()) ajv.addSchema(schema)

/** Whether the committed JSON Schema `name`.json accepts `document`. */
function jsonSchemaAccepts(name: string, document: unknown): boolean {
  const validate = ajv.getSchema(`${SCHEMA_ID_BASE}${name}.json`)
  if (!validate) throw new Error(`no JSON Schema ${name}.json`)
  return validate(document) as boolean
}

const zodSchemas: Record<string, z.ZodType> = {
  'payment-required': PaymentRequiredSchema,
  'payment-requirements': PaymentRequirementsSchema,
  'payment-payload': PaymentPayloadSchema,
  'verify-request': VerifyRequestSchema,
  'verify-response': VerifyResponseSchema,
  'settle-response': SettleResponseSchema,
  'supported-kind': SupportedKindSchema,
  'supported-response': SupportedResponseSchema,
  'discovery-resources-response': DiscoveryResourcesResponseSchema,
}

function zodAccepts(name: string, document: unknown): boolean {
  const schema = zodSchemas[name]
  if (!schema) throw new Error(`no zod schema for ${name}`)
  return schema.safeParse(document).success
}

describe('generated JSON Schemas', () => {
  test('the committed files are what the zod schemas generate (else run pnpm --filter @open402/core generate:schemas)', () => {
    const generated = renderJsonSchemas()
    expect([...committed.keys()].sort(), 'run pnpm --filter @open402/core generate:schemas').toEqual(
      [...generated.keys()].sort(),
    )
    for (const [name, schema] of generated) {
      expect(
        committed.get(name),
        `${name}.json is stale: run pnpm --filter @open402/core generate:schemas`,
      ).toEqual(schema)
    }
  })

  test.each(WIRE_SCHEMAS.map(({ name, type }) => [name, type]))(
    '%s.json is draft 2020-12 with a stable $id, a title and a description',
    (name, type) => {
      const schema = committed.get(name)
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://open402.dev/schemas/v2/${name}.json`,
        title: type,
        description: expect.stringMatching(/\S/),
      })
    },
  )

  test('every field of the V2 wire types carries its TSDoc sentence and spec link', () => {
    const requirements = committed.get('payment-requirements') as { properties: Record<string, object> }
    expect(Object.keys(requirements.properties)).toEqual([
      'scheme',
      'network',
      'amount',
      'asset',
      'payTo',
      'maxTimeoutSeconds',
      'extra',
    ])
    for (const property of Object.values(requirements.properties)) {
      expect(property).toMatchObject({
        description: expect.stringMatching(
          /^[A-Z].*\(spec §5\.1\.2: https:\/\/github\.com\/coinbase\/x402\/blob\/main\/specs\/x402-specification-v2\.md#:~:text=5\.1\.2%20Field%20Descriptions\)\.$/,
        ),
      })
    }
  })
})

describe('the spec examples are accepted by the JSON Schema and the zod schema alike', () => {
  test.each([
    ['§5.1.1 PaymentRequired', 'payment-required', spec.paymentRequired],
    ['§5.1.1 PaymentRequirements', 'payment-requirements', spec.paymentRequired.accepts[0]],
    ['§5.2.1 PaymentPayload', 'payment-payload', spec.paymentPayload],
    ['§5.3.1 SettleResponse', 'settle-response', spec.settleResponse],
    ['§7.1 verify request (no top-level x402Version)', 'verify-request', spec.verifyRequest],
    ['§7.1 verify response, valid', 'verify-response', spec.verifyValid],
    ['§7.1 verify response, invalid', 'verify-response', spec.verifyInvalid],
    ['§7.2 settle response, success', 'settle-response', spec.settleSuccess],
    ['§7.2 settle response, failure', 'settle-response', spec.settleFailure],
    ['§7.3 supported', 'supported-response', spec.supported],
    ['§7.3 supported kind', 'supported-kind', spec.supported.kinds[0]],
    ['§8.1 discovery resources', 'discovery-resources-response', spec.discoveryResources],
  ])('%s', (_name, schema, document) => {
    expect(jsonSchemaAccepts(schema, document)).toBe(true)
    expect(zodAccepts(schema, document)).toBe(true)
  })

  test('the settle request is the verify request (spec §7.2: "Same as /verify")', () => {
    expect(jsonSchemaAccepts('settle-request', spec.verifyRequest)).toBe(true)
    expect(committed.get('settle-request')).toEqual({
      ...committed.get('verify-request'),
      $id: `${SCHEMA_ID_BASE}settle-request.json`,
      title: 'SettleRequest',
      description: committed.get('settle-request').description,
    })
  })
})

const offer = spec.paymentRequired.accepts[0] as Record<string, unknown>
const { amount: _amount, ...offerWithoutAmount } = offer
const { accepts: _accepts, ...requiredWithoutAccepts } = spec.paymentRequired
const { paymentRequirements: _requirements, ...requestWithoutRequirements } = spec.verifyRequest
const v1Offer = {
  scheme: 'exact',
  network: 'base-sepolia',
  maxAmountRequired: '10000',
  resource: 'https://api.example.com/premium-data',
  description: 'Access to premium market data',
  mimeType: 'application/json',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 60,
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
}

describe('invalid documents are rejected by the JSON Schema and the zod schema alike', () => {
  test.each<[string, string, unknown]>([
    ['PaymentRequired without accepts', 'payment-required', requiredWithoutAccepts],
    [
      'PaymentRequired without resource',
      'payment-required',
      { ...spec.paymentRequired, resource: undefined },
    ],
    [
      'PaymentRequired with x402Version "2"',
      'payment-required',
      { ...spec.paymentRequired, x402Version: '2' },
    ],
    [
      'PaymentRequired with accepts an object',
      'payment-required',
      { ...spec.paymentRequired, accepts: offer },
    ],
    [
      'a V1 402 body',
      'payment-required',
      { x402Version: 1, error: 'X-PAYMENT header is required', accepts: [v1Offer] },
    ],
    [
      'a V1 body relabelled x402Version 2',
      'payment-required',
      { ...spec.paymentRequired, accepts: [v1Offer] },
    ],
    [
      'an offer with maxAmountRequired instead of amount',
      'payment-requirements',
      { ...offerWithoutAmount, maxAmountRequired: '10000' },
    ],
    ['an offer on V1 network base-sepolia', 'payment-requirements', { ...offer, network: 'base-sepolia' }],
    ['an offer on network eip155 (no reference)', 'payment-requirements', { ...offer, network: 'eip155' }],
    ['an offer on network EIP155:8453', 'payment-requirements', { ...offer, network: 'EIP155:8453' }],
    ['an offer on network 8453', 'payment-requirements', { ...offer, network: 8453 }],
    ['an offer with amount -1', 'payment-requirements', { ...offer, amount: '-1' }],
    ['an offer with amount 0.01', 'payment-requirements', { ...offer, amount: '0.01' }],
    ['an offer with amount 1e4', 'payment-requirements', { ...offer, amount: '1e4' }],
    ['an offer with amount 010000', 'payment-requirements', { ...offer, amount: '010000' }],
    ['an offer with amount +10000', 'payment-requirements', { ...offer, amount: '+10000' }],
    ['an offer with a numeric amount', 'payment-requirements', { ...offer, amount: 10000 }],
    ['an offer with an empty amount', 'payment-requirements', { ...offer, amount: '' }],
    ['an offer with maxTimeoutSeconds 0', 'payment-requirements', { ...offer, maxTimeoutSeconds: 0 }],
    ['an offer with maxTimeoutSeconds 1.5', 'payment-requirements', { ...offer, maxTimeoutSeconds: 1.5 }],
    ['an offer with maxTimeoutSeconds "60"', 'payment-requirements', { ...offer, maxTimeoutSeconds: '60' }],
    ['an offer with an empty scheme', 'payment-requirements', { ...offer, scheme: '' }],
    ['an offer with extra an array', 'payment-requirements', { ...offer, extra: [] }],
    ['a PaymentPayload with x402Version 1', 'payment-payload', { ...spec.paymentPayload, x402Version: 1 }],
    ['a PaymentPayload without accepted', 'payment-payload', { ...spec.paymentPayload, accepted: undefined }],
    [
      'a PaymentPayload accepting a V1 offer',
      'payment-payload',
      { ...spec.paymentPayload, accepted: v1Offer },
    ],
    [
      'a PaymentPayload with payload a string',
      'payment-payload',
      { ...spec.paymentPayload, payload: '0xabc' },
    ],
    [
      'a V1 X-PAYMENT payload',
      'payment-payload',
      { x402Version: 1, scheme: 'exact', network: 'base-sepolia', payload: {} },
    ],
    ['a verify request with x402Version 1', 'verify-request', { ...spec.verifyRequest, x402Version: 1 }],
    ['a verify request without paymentRequirements', 'verify-request', requestWithoutRequirements],
    [
      'a verify request on base-sepolia',
      'verify-request',
      { ...spec.verifyRequest, paymentRequirements: { ...offer, network: 'base-sepolia' } },
    ],
    ['a verify response with isValid "true"', 'verify-response', { isValid: 'true' }],
    [
      'a verify response without isValid',
      'verify-response',
      { payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66' },
    ],
    ['a settle response without transaction', 'settle-response', { success: true, network: 'eip155:84532' }],
    [
      'a settle response on base-sepolia',
      'settle-response',
      { ...spec.settleResponse, network: 'base-sepolia' },
    ],
    ['a settle response with status "later"', 'settle-response', { ...spec.settleResponse, status: 'later' }],
    ['a settle response with amount 1.5', 'settle-response', { ...spec.settleResponse, amount: '1.5' }],
    [
      'a supported kind with x402Version 0',
      'supported-kind',
      { x402Version: 0, scheme: 'exact', network: 'eip155:8453' },
    ],
    [
      'a V2 supported kind on base-sepolia',
      'supported-kind',
      { x402Version: 2, scheme: 'exact', network: 'base-sepolia' },
    ],
    [
      'a supported answer listing a V2 kind on base',
      'supported-response',
      { kinds: [{ x402Version: 2, scheme: 'exact', network: 'base' }] },
    ],
    ['a supported answer without kinds', 'supported-response', { extensions: [], signers: {} }],
    [
      'a supported answer with a signer that is not a list',
      'supported-response',
      { kinds: [], signers: { 'eip155:*': '0x1' } },
    ],
    ['a discovery answer without pagination', 'discovery-resources-response', { x402Version: 2, items: [] }],
    [
      'a discovery item with lastUpdated true',
      'discovery-resources-response',
      { ...spec.discoveryResources, items: [{ ...spec.discoveryResources.items[0], lastUpdated: true }] },
    ],
  ])('%s', (_name, schema, document) => {
    expect(jsonSchemaAccepts(schema, document)).toBe(false)
    expect(zodAccepts(schema, document)).toBe(false)
  })
})

describe('other documents both accept', () => {
  test.each<[string, string, unknown]>([
    ['a verify request with x402Version 2', 'verify-request', { x402Version: 2, ...spec.verifyRequest }],
    [
      'an offer with fields a later version may add',
      'payment-requirements',
      { ...offer, futureField: { a: 1 } },
    ],
    [
      'an offer of 0 on a Solana network',
      'payment-requirements',
      { ...offer, amount: '0', network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp' },
    ],
    [
      'a V1 kind named base-sepolia',
      'supported-kind',
      { x402Version: 1, scheme: 'exact', network: 'base-sepolia' },
    ],
    ['a supported answer without extensions and signers', 'supported-response', { kinds: [] }],
    [
      'a settle response with open402 status and amount',
      'settle-response',
      { ...spec.settleResponse, status: 'pending', amount: '10000' },
    ],
  ])('%s', (_name, schema, document) => {
    expect(jsonSchemaAccepts(schema, document)).toBe(true)
    expect(zodAccepts(schema, document)).toBe(true)
  })
})

describe('the JSON Schema pattern for CAIP-2 networks is the rule isCaip2 applies', () => {
  test.each([
    ['eip155:8453'],
    ['eip155:84532'],
    ['solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp'],
    ['icp:mainnet'],
    ['ach:us'],
    ['abcdefgh:1'],
    ['abcdefghi:1'],
    ['ab:1'],
    ['eip155:'],
    [':8453'],
    ['eip155:8453:1'],
    [`eip155:${'1'.repeat(32)}`],
    [`eip155:${'1'.repeat(33)}`],
    ['eip155:84_53-x'],
    ['Eip155:8453'],
    ['eip155:8453 '],
    ['eip155:84.53'],
    ['base-sepolia'],
  ])('%s', (network) => {
    const document = { ...offer, network }
    expect(jsonSchemaAccepts('payment-requirements', document)).toBe(isCaip2(network))
    expect(zodAccepts('payment-requirements', document)).toBe(isCaip2(network))
  })
})

describe('header codecs: JSON Schema describes the decoded JSON; the header itself must be standard base64', () => {
  const base64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64')
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
  // A query string whose bytes encode to `+` or `/`, where base64url differs from base64.
  const withQuery = <T extends { resource: { url: string } }>(value: T): T => ({
    ...value,
    resource: { ...value.resource, url: `${value.resource.url}?q=~~~` },
  })
  const payment = withQuery(spec.paymentPayload)
  const required = withQuery(spec.paymentRequired)

  test('the vectors differ between base64 and base64url', () => {
    expect(base64(payment)).toMatch(/[+/]/)
    expect(base64(required)).toMatch(/[+/]/)
    expect(base64(required)).toMatch(/=$/)
  })

  test('PAYMENT-SIGNATURE and PAYMENT-REQUIRED in standard base64 decode to the spec documents', () => {
    expect(decodePaymentSignature(base64(payment))).toEqual(payment)
    expect(decodePaymentRequired(base64(required))).toEqual(required)
    expect(jsonSchemaAccepts('payment-payload', payment)).toBe(true)
    expect(jsonSchemaAccepts('payment-required', required)).toBe(true)
  })

  test.each([
    [
      'PAYMENT-SIGNATURE in base64url',
      () => decodePaymentSignature(base64url(payment)),
      /base64url is not accepted/,
    ],
    [
      'PAYMENT-REQUIRED in base64url',
      () => decodePaymentRequired(base64url(required)),
      /not standard base64/,
    ],
    [
      'PAYMENT-REQUIRED in base64 without padding',
      () => decodePaymentRequired(base64(required).replace(/=+$/, '')),
      /length that is not a multiple of 4/,
    ],
  ])('%s is rejected with invalid_header', (_name, decode, message) => {
    let caught: unknown
    try {
      decode()
    } catch (error) {
      caught = error
    }
    expect(isX402Error(caught, 'invalid_header')).toBe(true)
    expect((caught as Error).message).toMatch(message)
  })
})
