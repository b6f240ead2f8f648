import { describe, expect, test } from 'vitest'
import { cashClient } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { allowNetworks, maxAtomicAmount } from '../client/policies.js'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequiredV1 } from '../schemas/v1.js'
import {
  caip2FromV1Network,
  decodeXPaymentResponse,
  encodeXPayment,
  paymentPayloadToV1,
  paymentRequiredFromV1,
  readPaymentRequiredV1,
  V1_NETWORKS,
  v1NetworkFromCaip2,
} from './x402-v1.js'

const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C'

// A 402 body as x402-express 1.2.0 sends it for `price: '$0.001', network: 'base-sepolia'`.
const offer = {
  scheme: 'exact',
  network: 'base-sepolia',
  maxAmountRequired: '1000',
  resource: 'http://127.0.0.1:4021/weather',
  description: '',
  mimeType: '',
  payTo: PAY_TO,
  maxTimeoutSeconds: 60,
  asset: BASE_SEPOLIA_USDC,
  outputSchema: { input: { type: 'http', method: 'GET', discoverable: true } },
  extra: { name: 'USDC', version: '2' },
}
const body: PaymentRequiredV1 = { x402Version: 1, error: 'X-PAYMENT header is required', accepts: [offer] }

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (isX402Error(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a throw')
}

describe('x402 V1 network names', () => {
  test.each([
    ['base', 'eip155:8453'],
    ['base-sepolia', 'eip155:84532'],
    ['avalanche-fuji', 'eip155:43113'],
    ['polygon-amoy', 'eip155:80002'],
    ['skale-base-sepolia', 'eip155:324705682'],
    ['solana', 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp'],
    ['solana-devnet', 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'],
  ])('%s is %s, both ways', (name, caip2) => {
    expect(caip2FromV1Network(name)).toBe(caip2)
    expect(v1NetworkFromCaip2(caip2)).toBe(name)
  })

  test('every name maps to a distinct CAIP-2 id, so the way back is unambiguous', () => {
    const ids = Object.values(V1_NETWORKS)
    expect(new Set(ids).size).toBe(ids.length)
    expect(Object.keys(V1_NETWORKS)).toHaveLength(26)
  })

  test('an unknown name or id is an invalid_network error naming it', () => {
    expect(failure(() => caip2FromV1Network('kairos-testnet'))).toEqual({
      code: 'invalid_network',
      message: expect.stringMatching(
        /^"kairos-testnet" is not an x402 V1 network name open402 knows \(known: base,/,
      ),
    })
    expect(failure(() => caip2FromV1Network('constructor')).code).toBe('invalid_network')
    expect(failure(() => v1NetworkFromCaip2('eip155:31337'))).toEqual({
      code: 'invalid_network',
      message: 'eip155:31337 has no x402 V1 network name, so x402 V1 cannot pay on it',
    })
  })
})

describe('readPaymentRequiredV1', () => {
  test('reads a V1 body from its text or from parsed JSON, keeping unknown fields', () => {
    expect(readPaymentRequiredV1(JSON.stringify(body))).toEqual(body)
    expect(readPaymentRequiredV1({ ...body, payer: '0x1' })).toMatchObject({ payer: '0x1' })
  })

  test.each([
    ['text that is not JSON', '<html>pay</html>'],
    ['a V2-style empty body', {}],
    ['a body of another version', { x402Version: 2, accepts: [] }],
    ['an array', [body]],
    ['null', null],
  ])('is undefined for %s', (_case, value) => {
    expect(readPaymentRequiredV1(value)).toBeUndefined()
  })

  test('a malformed V1 body is an invalid_header error naming the field', () => {
    expect(
      failure(() => readPaymentRequiredV1({ ...body, accepts: [{ ...offer, maxAmountRequired: '1.5' }] })),
    ).toEqual({
      code: 'invalid_header',
      message:
        '402 body (x402 V1): accepts.0.maxAmountRequired: must be a non-negative integer in atomic units, as a decimal string',
    })
  })
})

describe('paymentRequiredFromV1', () => {
  test('gives the V2 view: CAIP-2 network, amount, resource from the offer, V1-only fields dropped', () => {
    expect(
      paymentRequiredFromV1({
        ...body,
        accepts: [{ ...offer, description: 'Weather', mimeType: 'application/json' }],
      }),
    ).toEqual({
      x402Version: 2,
      error: 'X-PAYMENT header is required',
      resource: { url: offer.resource, description: 'Weather', mimeType: 'application/json' },
      accepts: [
        {
          scheme: 'exact',
          network: 'eip155:84532',
          amount: '1000',
          asset: BASE_SEPOLIA_USDC,
          payTo: PAY_TO,
          maxTimeoutSeconds: 60,
          extra: { name: 'USDC', version: '2' },
        },
      ],
    })
    expect(
      paymentRequiredFromV1({ ...body, accepts: [{ ...offer, extra: null }] }).accepts[0],
    ).not.toHaveProperty('extra')
  })

  test('leaves out offers on unknown networks, and names them when none is left', () => {
    const view = paymentRequiredFromV1({ ...body, accepts: [{ ...offer, network: 'kairos-testnet' }, offer] })
    expect(view.accepts.map((requirements) => requirements.network)).toEqual(['eip155:84532'])
    const error = failure(() =>
      paymentRequiredFromV1({ ...body, accepts: [{ ...offer, network: 'kairos-testnet' }] }),
    )
    expect(error.code).toBe('no_scheme_registered')
    expect(error.message).toMatch(
      /^no acceptable payment option: offer 1 \(exact on kairos-testnet, 1000 of 0x036C\w+\): "kairos-testnet" is not an x402 V1 network name open402 knows \(known: base, base-sepolia,/,
    )
    expect(failure(() => paymentRequiredFromV1({ ...body, accepts: [] }))).toEqual({
      code: 'no_scheme_registered',
      message: 'no acceptable payment option: the server offered no way to pay',
    })
  })

  test('policies see CAIP-2 ids: allowNetworks and amount caps apply to V1 offers unchanged', () => {
    const view = paymentRequiredFromV1({
      x402Version: 1,
      accepts: [
        { ...offer, scheme: 'cash', network: 'base', asset: 'USD', maxAmountRequired: '500' },
        { ...offer, scheme: 'cash', network: 'base-sepolia', asset: 'USD', maxAmountRequired: '90' },
      ],
    })
    const client = createPaymentClient({
      schemes: [cashClient('alice', 'eip155:*')],
      policies: [allowNetworks(['eip155:8453', 'eip155:84532']), maxAtomicAmount(100)],
    })
    expect(client.selectRequirements(view).network).toBe('eip155:84532')
    const refused = failure(() =>
      createPaymentClient({
        schemes: [cashClient('alice', 'eip155:*')],
        policies: [maxAtomicAmount(10)],
      }).selectRequirements(view),
    )
    expect(refused.code).toBe('payment_refused_by_policy')
    expect(refused.message).toContain(
      'offer 2 (cash on eip155:84532, 90 of USD): maxAtomicAmount: 90 exceeds 10',
    )
  })
})

describe('the X-PAYMENT and X-PAYMENT-RESPONSE headers', () => {
  const payload = {
    signature: `0x${'12'.repeat(65)}`,
    authorization: {
      from: PAY_TO,
      to: PAY_TO,
      value: '1000',
      validAfter: '1',
      validBefore: '2',
      nonce: '0x01',
    },
  }

  test('a payment for the V2 view is written as V1 with the V1 network name', () => {
    const view = paymentRequiredFromV1(body)
    const payment: PaymentPayload = {
      x402Version: 2,
      resource: view.resource,
      accepted: view.accepts[0] as PaymentPayload['accepted'],
      payload,
    }
    const v1 = paymentPayloadToV1(payment)
    expect(v1).toEqual({ x402Version: 1, scheme: 'exact', network: 'base-sepolia', payload })
    const header = encodeXPayment(v1)
    expect(header).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual(v1)
  })

  test('X-PAYMENT-RESPONSE decodes to the V2 SettleResponse shape, network as CAIP-2', () => {
    const transaction = `0x${'ab'.repeat(32)}`
    expect(
      decodeXPaymentResponse(b64({ success: true, transaction, network: 'base-sepolia', payer: PAY_TO })),
    ).toEqual({ success: true, transaction, network: 'eip155:84532', payer: PAY_TO })
    expect(
      decodeXPaymentResponse(
        b64({ success: false, errorReason: 'insufficient_funds', transaction: '', network: 'eip155:8453' }),
      ),
    ).toEqual({ success: false, errorReason: 'insufficient_funds', transaction: '', network: 'eip155:8453' })
  })

  test.each([
    ['not base64', '%%%', 'X-PAYMENT-RESPONSE: not standard base64 with padding'],
    ['no transaction', b64({ success: true, network: 'base' }), 'X-PAYMENT-RESPONSE: transaction:'],
    [
      'an unknown network',
      b64({ success: true, transaction: '0x1', network: 'kairos' }),
      'X-PAYMENT-RESPONSE: network "kairos" is neither an x402 V1 network name open402 knows nor a CAIP-2 id',
    ],
  ])('X-PAYMENT-RESPONSE with %s is an invalid_header error', (_case, header, message) => {
    const error = failure(() => decodeXPaymentResponse(header))
    expect(error.code).toBe('invalid_header')
    expect(error.message).toContain(message)
  })
})
