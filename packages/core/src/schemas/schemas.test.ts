import { describe, expect, test } from 'vitest'
import {
  AtomicAmountSchema,
  FacilitatorRequestSchema,
  PaymentRequirementsSchema,
  SettleResponseSchema,
  SupportedResponseSchema,
  VerifyResponseSchema,
} from './index.js'

const requirements = {
  scheme: 'exact',
  network: 'eip155:8453',
  amount: '10000',
  asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
  extra: { name: 'USD Coin', version: '2' },
}

describe('wire schemas', () => {
  test.each([
    ['0'],
    ['1'],
    ['115792089237316195423570985008687907853269984665640564039457584007913129639935'],
  ])('atomic amount %s is valid', (amount) => expect(AtomicAmountSchema.safeParse(amount).success).toBe(true))

  test.each([['-1'], ['01'], ['1.5'], ['1e3'], [''], [' 1']])('atomic amount %j is invalid', (amount) => {
    expect(AtomicAmountSchema.safeParse(amount).success).toBe(false)
  })

  test('requirements keep unknown fields and reject a V1 network name', () => {
    expect(PaymentRequirementsSchema.parse({ ...requirements, futureField: 1 })).toMatchObject({
      futureField: 1,
    })
    expect(PaymentRequirementsSchema.safeParse({ ...requirements, network: 'base' }).success).toBe(false)
    expect(PaymentRequirementsSchema.safeParse({ ...requirements, maxTimeoutSeconds: 0 }).success).toBe(false)
  })

  test('facilitator bodies and answers parse', () => {
    const body = {
      x402Version: 2,
      paymentPayload: { x402Version: 2, accepted: requirements, payload: {} },
      paymentRequirements: requirements,
    }
    expect(FacilitatorRequestSchema.parse(body)).toEqual(body)
    expect(VerifyResponseSchema.parse({ isValid: false, invalidReason: 'x' })).toEqual({
      isValid: false,
      invalidReason: 'x',
    })
    expect(
      SettleResponseSchema.safeParse({
        success: true,
        transaction: '0x1',
        network: 'eip155:8453',
        status: 'later',
      }).success,
    ).toBe(false)
    expect(SupportedResponseSchema.parse({ kinds: [] })).toEqual({ kinds: [], extensions: [], signers: {} })
  })

  test('a facilitator body may leave out the top-level x402Version (spec §7.1), but not give another one', () => {
    const body = {
      paymentPayload: { x402Version: 2, accepted: requirements, payload: {} },
      paymentRequirements: requirements,
    }
    expect(FacilitatorRequestSchema.parse(body)).toEqual(body)
    const v1 = FacilitatorRequestSchema.safeParse({ ...body, x402Version: 1 })
    expect(v1.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['x402Version'], 'x402Version must be 2 (this is an x402 V2 implementation)'],
    ])
    const payloadV1 = FacilitatorRequestSchema.safeParse({
      ...body,
      paymentPayload: { ...body.paymentPayload, x402Version: 1 },
    })
    expect(payloadV1.error?.issues[0]?.path).toEqual(['paymentPayload', 'x402Version'])
  })

  test('a network that is not CAIP-2 keeps its error message', () => {
    const result = PaymentRequirementsSchema.safeParse({ ...requirements, network: 'base-sepolia' })
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'must be a CAIP-2 chain id (namespace:reference), e.g. eip155:8453',
    ])
  })

  test('a /supported answer may list V1 kinds with V1 network names, but V2 kinds need CAIP-2 ids', () => {
    const mixed = {
      kinds: [
        { x402Version: 2, scheme: 'exact', network: 'eip155:8453' },
        { x402Version: 1, scheme: 'exact', network: 'base-sepolia' },
      ],
      extensions: [],
      signers: { 'eip155:*': ['0x1'] },
    }
    expect(SupportedResponseSchema.parse(mixed).kinds.map((kind) => kind.network)).toEqual([
      'eip155:8453',
      'base-sepolia',
    ])
    const badV2 = SupportedResponseSchema.safeParse({
      kinds: [{ x402Version: 2, scheme: 'exact', network: 'base' }],
    })
    expect(badV2.success).toBe(false)
    expect(badV2.error?.issues[0]?.path).toEqual(['kinds', 0, 'network'])
  })
})
