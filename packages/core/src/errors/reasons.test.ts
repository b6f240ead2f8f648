import { describe, expect, test } from 'vitest'
import { assertKnownReason } from './assert-known-reason.js'
import { isErrorReason, REASONS, SPEC_REASONS } from './reasons.js'
import { isX402Error, X402Error } from './x402-error.js'

describe('reason registry', () => {
  test('contains every spec code once', () => {
    for (const reason of SPEC_REASONS) expect(isErrorReason(reason)).toBe(true)
    expect(new Set(REASONS).size).toBe(REASONS.length)
  })

  test.each([
    'duplicate_settlement',
    'payment_requirements_mismatch',
    'invalid_exact_evm_signature',
    'settlement_pending',
  ])('knows %s', (reason) => {
    expect(() => assertKnownReason(reason)).not.toThrow()
    expect(isErrorReason(reason)).toBe(true)
  })

  test.each([['made_up_reason'], [undefined], [42]])('assertKnownReason rejects %j', (reason) => {
    expect(() => assertKnownReason(reason)).toThrow(/is not in the registry/)
  })
})

describe('X402Error', () => {
  test('carries a code, a message and a cause', () => {
    const cause = new Error('inner')
    const error = new X402Error('invalid_price', 'bad price', { cause })
    expect(error).toBeInstanceOf(Error)
    expect([error.name, error.code, error.message, error.cause]).toEqual([
      'X402Error',
      'invalid_price',
      'bad price',
      cause,
    ])
    expect(isX402Error(error)).toBe(true)
    expect(isX402Error(error, 'invalid_price')).toBe(true)
    expect(isX402Error(error, 'invalid_header')).toBe(false)
    expect(isX402Error(new Error('x'))).toBe(false)
  })
})
