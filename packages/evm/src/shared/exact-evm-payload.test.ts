import { describe, expect, test } from 'vitest'
import { parseExactEvmPayload } from './exact-evm-payload.js'

const valid = {
  signature: `0x${'11'.repeat(65)}`,
  authorization: {
    from: '0x857b06519e91e3a54538791bdbb0e22373e36b66',
    to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
    value: '10000',
    validAfter: '1740672089',
    validBefore: '1740672154',
    nonce: '0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480',
  },
}

describe('parseExactEvmPayload', () => {
  test('parses decimal strings to bigints and checksums addresses', () => {
    const parsed = parseExactEvmPayload(valid)
    expect(parsed).toEqual({
      ok: true,
      signature: valid.signature,
      authorization: {
        from: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
        to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
        value: 10000n,
        validAfter: 1740672089n,
        validBefore: 1740672154n,
        nonce: valid.authorization.nonce,
      },
    })
  })

  test('accepts hex integers as the spec allows and pads the nonce to 32 bytes', () => {
    const parsed = parseExactEvmPayload({
      ...valid,
      authorization: { ...valid.authorization, value: '0x2710', nonce: '0x01' },
    })
    expect(parsed.ok && parsed.authorization.value).toBe(10000n)
    expect(parsed.ok && parsed.authorization.nonce).toBe(`0x${'0'.repeat(63)}1`)
  })

  test.each([
    ['a missing signature', { authorization: valid.authorization }, 'payload.signature'],
    ['a non-hex signature', { ...valid, signature: 'abc' }, 'payload.signature'],
    ['a missing authorization', { signature: valid.signature }, 'payload.authorization must be an object'],
    [
      'a bad from',
      { ...valid, authorization: { ...valid.authorization, from: '0x1234' } },
      'authorization.from',
    ],
    [
      'a negative value',
      { ...valid, authorization: { ...valid.authorization, value: '-1' } },
      'authorization.value',
    ],
    [
      'a fractional value',
      { ...valid, authorization: { ...valid.authorization, value: '1.5' } },
      'authorization.value',
    ],
    [
      'a value over 2^256',
      { ...valid, authorization: { ...valid.authorization, value: (2n ** 256n).toString() } },
      'authorization.value',
    ],
    [
      'a missing nonce',
      { ...valid, authorization: { ...valid.authorization, nonce: undefined } },
      'authorization.nonce',
    ],
  ])('refuses %s', (_case, payload, message) => {
    const parsed = parseExactEvmPayload(payload as Record<string, unknown>)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? '' : parsed.message).toContain(message)
  })
})
