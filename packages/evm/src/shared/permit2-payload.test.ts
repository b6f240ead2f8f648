import { describe, expect, test } from 'vitest'
import { isPermit2Payload, parseEip2612Extension, parsePermit2Payload } from './permit2-payload.js'

const upto = {
  signature: `0x${'11'.repeat(65)}`,
  permit2Authorization: {
    from: '0x857b06519e91e3a54538791bdbb0e22373e36b66',
    permitted: { token: '0x036cbd53842c5426634e7929541ec2318f3dcf7e', amount: '50000' },
    spender: '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002',
    nonce: '12345678901234567890',
    deadline: '1740672154',
    witness: {
      to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
      facilitator: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      validAfter: '0',
    },
  },
}

describe('parsePermit2Payload', () => {
  test('parses an upto payload: bigints, checksummed addresses, the facilitator', () => {
    expect(parsePermit2Payload(upto, 'upto')).toEqual({
      ok: true,
      signature: upto.signature,
      authorization: {
        from: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
        permitted: { token: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: 50000n },
        spender: '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002',
        nonce: 12345678901234567890n,
        deadline: 1740672154n,
        witness: {
          to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
          facilitator: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
          validAfter: 0n,
        },
      },
    })
  })

  test('an exact payload ignores a facilitator; an upto payload requires one', () => {
    const parsed = parsePermit2Payload(upto, 'exact')
    expect(parsed.ok && parsed.authorization.witness.facilitator).toBeUndefined()
    const { facilitator: _dropped, ...witness } = upto.permit2Authorization.witness
    const exact = { ...upto, permit2Authorization: { ...upto.permit2Authorization, witness } }
    expect(parsePermit2Payload(exact, 'exact').ok).toBe(true)
    expect(parsePermit2Payload(exact, 'upto')).toEqual({
      ok: false,
      message: 'payload.permit2Authorization.witness.facilitator must be a 20-byte hex address',
    })
  })

  test.each([
    ['no signature', { permit2Authorization: upto.permit2Authorization }, 'payload.signature'],
    ['no authorization', { signature: upto.signature }, 'payload.permit2Authorization must be an object'],
    [
      'a bad token',
      {
        ...upto,
        permit2Authorization: { ...upto.permit2Authorization, permitted: { token: '0x12', amount: '1' } },
      },
      'permitted.token',
    ],
    [
      'a negative amount',
      {
        ...upto,
        permit2Authorization: {
          ...upto.permit2Authorization,
          permitted: { ...upto.permit2Authorization.permitted, amount: '-1' },
        },
      },
      'permitted.amount',
    ],
    [
      'a deadline over 2^256',
      { ...upto, permit2Authorization: { ...upto.permit2Authorization, deadline: (2n ** 256n).toString() } },
      'deadline',
    ],
  ])('refuses %s', (_case, payload, message) => {
    const parsed = parsePermit2Payload(payload as Record<string, unknown>, 'upto')
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? '' : parsed.message).toContain(message)
  })

  test('tells Permit2 payloads from EIP-3009 ones', () => {
    expect(isPermit2Payload(upto)).toBe(true)
    expect(isPermit2Payload({ signature: '0x', authorization: {} })).toBe(false)
  })
})

describe('parseEip2612Extension', () => {
  const info = {
    from: '0x857b06519e91e3a54538791bdbb0e22373e36b66',
    asset: '0x036cbd53842c5426634e7929541ec2318f3dcf7e',
    spender: '0x000000000022D473030F116dDEE9F6B43aC78BA3',
    amount: '50000',
    nonce: '0',
    deadline: '1740672154',
    signature: `0x${'22'.repeat(65)}`,
    version: '1',
  }

  test('no extension, or the bare declaration a server sent, is no permit', () => {
    expect(parseEip2612Extension(undefined)).toBeUndefined()
    expect(parseEip2612Extension({ bazaar: {} })).toBeUndefined()
    expect(
      parseEip2612Extension({
        eip2612GasSponsoring: { info: { description: 'x', version: '1' }, schema: {} },
      }),
    ).toBeUndefined()
  })

  test('parses the client permit', () => {
    const parsed = parseEip2612Extension({ eip2612GasSponsoring: { info } })
    expect(parsed).toMatchObject({
      ok: true,
      permit: { from: '0x857b06519E91e3A54538791bDbb0E22373e36b66', amount: 50000n, nonce: 0n },
    })
  })

  test.each([
    ['a short signature', { signature: '0x1234' }, 'signature'],
    ['a hex amount', { amount: '0x10' }, 'amount'],
    ['a bad spender', { spender: 'permit2' }, 'spender'],
    ['no version', { version: undefined }, 'version'],
  ])('refuses %s', (_case, change, message) => {
    const parsed = parseEip2612Extension({ eip2612GasSponsoring: { info: { ...info, ...change } } })
    expect(parsed?.ok).toBe(false)
    expect(parsed?.ok === false ? parsed.message : '').toContain(message)
  })
})
