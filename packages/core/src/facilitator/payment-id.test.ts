import { describe, expect, test } from 'vitest'
import type { PaymentPayload } from '../schemas/index.js'
import { canonicalJson, paymentId } from './payment-id.js'

describe('paymentId', () => {
  const payload = {
    x402Version: 2,
    accepted: {
      scheme: 'cash',
      network: 'cash:test',
      amount: '1',
      asset: 'USD',
      payTo: 'a',
      maxTimeoutSeconds: 5,
    },
    payload: { b: [1, { y: 2, x: 1 }], a: 'é' },
  } as PaymentPayload

  test('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, undefined] } })).toBe('{"a":{"c":[2,null]},"b":1}')
  })

  test('is a 64-character hex SHA-256 independent of key order', async () => {
    const id = await paymentId(payload)
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    const reordered = JSON.parse(
      JSON.stringify({ payload: payload.payload, accepted: payload.accepted, x402Version: 2 }),
    )
    expect(await paymentId(reordered)).toBe(id)
    expect(await paymentId({ ...payload, payload: { a: 'e' } })).not.toBe(id)
  })
})
