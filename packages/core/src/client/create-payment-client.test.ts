import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient } from '../../test/cash-scheme.js'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/index.js'
import { createPaymentClient } from './create-payment-client.js'
import { allowAssets, allowNetworks, allowPayTo, maxAmount, maxAtomicAmount } from './policies.js'

const offer = (overrides: Partial<PaymentRequirements>): PaymentRequirements => ({
  scheme: 'cash',
  network: CASH_NETWORK,
  amount: '100',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: { vault: 'v1' },
  ...overrides,
})

const required = (accepts: PaymentRequirements[]): PaymentRequired => ({
  x402Version: 2,
  error: 'Payment required',
  resource: { url: 'https://shop.test/x' },
  accepts,
  extensions: { bazaar: { info: { a: 1 } } },
})

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (isX402Error(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a throw')
}

describe('createPaymentClient selection', () => {
  test('skips offers without a scheme client and picks the cheapest of the rest', () => {
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    const chosen = client.selectRequirements(
      required([offer({ scheme: 'exact', amount: '1' }), offer({ amount: '300' }), offer({ amount: '200' })]),
    )
    expect(chosen.amount).toBe('200')
  })

  test('compares prices across decimals when the scheme knows them', () => {
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    // 150 cents ($1.50) vs 5 units of an unknown asset: unknown decimals fall back to atomic amounts.
    expect(
      client.selectRequirements(required([offer({ amount: '150' }), offer({ amount: '149' })])).amount,
    ).toBe('149')
  })

  test('orders by preferred networks before price', () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      prefer: { networks: ['cash:main', 'cash:*'] },
    })
    const chosen = client.selectRequirements(
      required([offer({ amount: '1' }), offer({ network: 'cash:main', amount: '9' })]),
    )
    expect(chosen.network).toBe('cash:main')
  })

  test('prefers a client registered on the exact network over a pattern', async () => {
    const family = cashClient('family')
    const exact = cashClient('exact', CASH_NETWORK)
    const client = createPaymentClient({ schemes: [family, exact] })
    const payload = await client.createPaymentPayload(required([offer({})]))
    expect(payload.payload.from).toBe('exact')
    expect(family.calls).toBe(0)
  })

  test('throws no_scheme_registered listing every offer when no scheme client fits', () => {
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    expect(
      failure(() =>
        client.selectRequirements(required([offer({ scheme: 'exact', network: 'eip155:8453' })])),
      ),
    ).toEqual({
      code: 'no_scheme_registered',
      message:
        'no acceptable payment option: offer 1 (exact on eip155:8453, 100 of USD): no scheme client registered for exact on eip155:8453',
    })
  })

  test('throws payment_refused_by_policy with the reason of each refused offer', () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [maxAtomicAmount(50), allowPayTo(['shop'])],
    })
    const error = failure(() =>
      client.selectRequirements(
        required([offer({ amount: '100' }), offer({ amount: '10', payTo: 'thief' }), offer({ scheme: 'x' })]),
      ),
    )
    expect(error.code).toBe('payment_refused_by_policy')
    expect(error.message).toContain(
      'offer 1 (cash on cash:test, 100 of USD): maxAtomicAmount: 100 exceeds 50',
    )
    expect(error.message).toContain(
      'offer 2 (cash on cash:test, 10 of USD): allowPayTo: recipient thief is not allowed',
    )
    expect(error.message).toContain('offer 3 (x on cash:test, 100 of USD): no scheme client registered')
  })

  test('rejects a PaymentRequired that is not V2, pointing a V1 body to its V2 view', () => {
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    expect(
      failure(() => client.selectRequirements({ ...required([offer({})]), x402Version: 3 as 2 })),
    ).toEqual({ code: 'invalid_x402_version', message: 'x402Version 3 is not supported; expected 2' })
    const v1 = failure(() => client.selectRequirements({ ...required([offer({})]), x402Version: 1 as 2 }))
    expect(v1.code).toBe('invalid_x402_version')
    expect(v1.message).toContain('paymentRequiredFromV1(readPaymentRequiredV1(body))')
  })
})

describe('policies', () => {
  const client = (policies: Parameters<typeof createPaymentClient>[0]['policies']) =>
    createPaymentClient({ schemes: [cashClient('alice')], policies })

  test.each([
    ['maxAmount at the cap', [maxAmount('$1')], offer({ amount: '100' }), true],
    ['maxAmount above the cap', [maxAmount('$0.99')], offer({ amount: '100' }), false],
    ['maxAmount with a cap finer than the asset', [maxAmount(0.999)], offer({ amount: '99' }), true],
    [
      'maxAmount for an asset of unknown decimals',
      [maxAmount('$100')],
      offer({ asset: 'EUR', amount: '1' }),
      false,
    ],
    [
      'maxAmount with explicit decimals',
      [maxAmount('$1', { decimals: 6 })],
      offer({ asset: 'EUR', amount: '1000000' }),
      true,
    ],
    ['maxAtomicAmount', [maxAtomicAmount('100')], offer({ amount: '101' }), false],
    ['allowNetworks pattern', [allowNetworks(['cash:*'])], offer({}), true],
    ['allowNetworks other', [allowNetworks(['eip155:8453'])], offer({}), false],
    ['allowAssets case-insensitive', [allowAssets(['usd'])], offer({}), true],
    ['allowAssets other', [allowAssets(['EUR'])], offer({}), false],
    ['allowPayTo', [allowPayTo(['SHOP'])], offer({}), true],
  ])('%s', (_name, policies, candidate, allowed) => {
    const run = () => client(policies).selectRequirements(required([candidate]))
    if (allowed) expect(run()).toBe(candidate)
    else expect(failure(run).code).toBe('payment_refused_by_policy')
  })

  test('maxAmount names the unknown decimals', () => {
    expect(
      failure(() => client([maxAmount('$1')]).selectRequirements(required([offer({ asset: 'EUR' })])))
        .message,
    ).toMatch(/decimals of asset EUR on cash:test are unknown/)
  })

  test('maxAmount rejects an invalid cap at construction', () => {
    expect(failure(() => maxAmount('-1')).code).toBe('invalid_price')
  })
})

describe('createPaymentPayload', () => {
  test('echoes the chosen offer verbatim, the resource and the extensions', async () => {
    const client = createPaymentClient({ schemes: [cashClient('alice')] })
    const chosen = offer({ extra: { vault: 'v1', nested: { z: 1, a: [1, 2] } } })
    const payload = await client.createPaymentPayload(required([chosen]))
    expect(payload).toEqual({
      x402Version: 2,
      resource: { url: 'https://shop.test/x' },
      accepted: chosen,
      payload: { from: 'alice', to: 'shop', amount: '100', nonce: expect.any(String) },
      extensions: { bazaar: { info: { a: 1 } } },
    })
    expect(payload.accepted).toBe(chosen)
  })
})

describe('extensions a scheme adds', () => {
  test('go into this payment only: never into the 402 or a later payment built from it', async () => {
    const adding = {
      ...cashClient('alice'),
      async createPayload(
        requirements: PaymentRequirements,
        context: { extensions?: Record<string, unknown> },
      ) {
        if (context.extensions) context.extensions.permit = { info: { signature: crypto.randomUUID() } }
        return { from: 'alice', to: requirements.payTo, amount: requirements.amount }
      },
    }
    const client = createPaymentClient({ schemes: [adding] })
    const paymentRequired = required([offer({})])
    const first = await client.createPaymentPayload(paymentRequired)
    const second = await client.createPaymentPayload(paymentRequired)
    expect(first.extensions).toMatchObject({ bazaar: { info: { a: 1 } }, permit: { info: {} } })
    expect(second.extensions?.permit).not.toEqual(first.extensions?.permit)
    expect(paymentRequired.extensions).toEqual({ bazaar: { info: { a: 1 } } })
  })
})
