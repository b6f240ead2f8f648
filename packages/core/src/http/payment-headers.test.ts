import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentPayload, PaymentRequired, SettleResponse } from '../schemas/index.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  decodePaymentSignature,
  encodeBase64Text,
  encodePaymentRequired,
  encodePaymentResponse,
  encodePaymentSignature,
} from './payment-headers.js'

const requirements = {
  scheme: 'exact',
  network: 'eip155:84532',
  amount: '1000',
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
  extra: { name: 'USDC', version: '2' },
} as const

const paymentRequired: PaymentRequired = {
  x402Version: 2,
  error: 'Payment required',
  resource: {
    url: 'https://api.example.com/weather?city=Zürich',
    description: 'Weather ☀',
    mimeType: 'application/json',
  },
  accepts: [requirements],
  extensions: { bazaar: { info: { input: { type: 'http', method: 'GET' } } } },
}

const paymentPayload: PaymentPayload = {
  x402Version: 2,
  resource: paymentRequired.resource,
  accepted: requirements,
  payload: { signature: '0xabc', authorization: { from: '0x1', value: '1000' } },
}

const settleResponse: SettleResponse = {
  success: true,
  transaction: `0x${'ab'.repeat(32)}`,
  network: 'eip155:84532',
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64')

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (isX402Error(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a throw')
}

describe('payment header codecs', () => {
  test('round-trip PaymentRequired, PaymentPayload and SettleResponse (UTF-8 included)', () => {
    expect(decodePaymentRequired(encodePaymentRequired(paymentRequired))).toEqual(paymentRequired)
    expect(decodePaymentSignature(encodePaymentSignature(paymentPayload))).toEqual(paymentPayload)
    expect(decodePaymentResponse(encodePaymentResponse(settleResponse))).toEqual(settleResponse)
  })

  test('encode standard base64 of the UTF-8 JSON', () => {
    const encoded = encodePaymentRequired(paymentRequired)
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))).toEqual(paymentRequired)
  })

  test('keep unknown fields sent by peers', () => {
    const decoded = decodePaymentResponse(b64({ ...settleResponse, requirements: { any: 1 } }))
    expect((decoded as Record<string, unknown>).requirements).toEqual({ any: 1 })
  })

  test('accept surrounding whitespace', () => {
    expect(decodePaymentSignature(` ${encodePaymentSignature(paymentPayload)} `)).toEqual(paymentPayload)
  })
})

describe('decodePaymentSignature rejects', () => {
  const urlSafe = b64({ ...paymentPayload, payload: { x: '>>>???' } })
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
  test.each([
    ['an empty header', '', 'invalid_header', /PAYMENT-SIGNATURE: header is empty/],
    ['base64url', urlSafe, 'invalid_header', /base64url is not accepted/],
    ['other characters', 'eyJh*GVsbG8=', 'invalid_header', /contains "\*"/],
    ['missing padding', b64('{"a":1}').replace(/=+$/, ''), 'invalid_header', /multiple of 4/],
    [
      'invalid UTF-8',
      Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'),
      'invalid_header',
      /not valid UTF-8/,
    ],
    ['non-JSON', b64('hello world!'), 'invalid_header', /not valid JSON/],
    ['a JSON array', b64([1, 2]), 'invalid_header', /must be a JSON object/],
    ['JSON null', b64('null'), 'invalid_header', /must be a JSON object/],
    [
      'a negative amount',
      b64({ ...paymentPayload, accepted: { ...requirements, amount: '-1' } }),
      'invalid_header',
      /^PAYMENT-SIGNATURE: accepted\.amount: must be a non-negative integer/,
    ],
    [
      'a bad network',
      b64({ ...paymentPayload, accepted: { ...requirements, network: 'base-sepolia' } }),
      'invalid_header',
      /^PAYMENT-SIGNATURE: accepted\.network: must be a CAIP-2 chain id/,
    ],
    [
      'a missing accepted',
      b64({ x402Version: 2, payload: {} }),
      'invalid_header',
      /^PAYMENT-SIGNATURE: accepted: /,
    ],
    ['a null accepted', b64({ x402Version: 2, accepted: null, payload: {} }), 'invalid_header', /accepted: /],
    [
      'a missing payload',
      b64({ x402Version: 2, accepted: requirements }),
      'invalid_header',
      /^PAYMENT-SIGNATURE: payload: /,
    ],
    [
      'an x402 V1 payload',
      b64({ x402Version: 1, scheme: 'exact', network: 'base-sepolia', payload: {} }),
      'invalid_x402_version',
      /x402Version 1 is not supported/,
    ],
    [
      'a V1 maxAmountRequired',
      b64({
        x402Version: 2,
        accepted: { ...requirements, amount: undefined, maxAmountRequired: '1' },
        payload: {},
      }),
      'invalid_x402_version',
      /maxAmountRequired is an x402 V1 field/,
    ],
    ['version 3', b64({ ...paymentPayload, x402Version: 3 }), 'invalid_x402_version', /must be 2, got 3/],
    [
      'a missing version',
      b64({ ...paymentPayload, x402Version: undefined }),
      'invalid_x402_version',
      /got none/,
    ],
  ])('%s', (_name, header, code, message) => {
    const error = failure(() => decodePaymentSignature(header))
    expect(error.code).toBe(code)
    expect(error.message).toMatch(message)
  })

  test('a header larger than the cap, before decoding', () => {
    const error = failure(() => decodePaymentSignature('A'.repeat(64 * 1024 + 4)))
    expect(error).toEqual({
      code: 'header_too_large',
      message: 'PAYMENT-SIGNATURE: header is 65540 characters, more than the 65536 allowed',
    })
    expect(
      failure(() => decodePaymentSignature(encodePaymentSignature(paymentPayload), { maxLength: 10 })).code,
    ).toBe('header_too_large')
  })
})

describe('decodePaymentRequired and decodePaymentResponse reject', () => {
  test('a V1 402 with maxAmountRequired', () => {
    const v1 = {
      x402Version: 1,
      error: 'X-PAYMENT header is required',
      accepts: [{ maxAmountRequired: '1' }],
    }
    expect(failure(() => decodePaymentRequired(b64(v1)))).toEqual({
      code: 'invalid_x402_version',
      message: expect.stringMatching(
        /^PAYMENT-REQUIRED: x402Version 1 is not supported \(V1 uses maxAmountRequired\)/,
      ),
    })
  })

  test('accepts that is not an array', () => {
    expect(failure(() => decodePaymentRequired(b64({ ...paymentRequired, accepts: {} }))).message).toMatch(
      /^PAYMENT-REQUIRED: accepts: /,
    )
  })

  test('a settle response without network', () => {
    expect(failure(() => decodePaymentResponse(b64({ success: true, transaction: '0x1' })))).toEqual({
      code: 'invalid_header',
      message: expect.stringMatching(/^PAYMENT-RESPONSE: network: /),
    })
  })
})

describe('encodeBase64Text', () => {
  test.each([
    ['ascii JSON', '{"x402Version":2}'],
    ['non-ASCII text', 'Wetter für München €5 ☀️'],
    ['a lone surrogate (encoded as U+FFFD, as TextEncoder does)', 'a\ud800b'],
  ])('gives the standard base64 of the UTF-8 bytes of %s', (_name, text) => {
    const bytes = new TextEncoder().encode(text)
    expect(encodeBase64Text(text)).toBe(btoa(String.fromCharCode(...bytes)))
  })
})
