import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { RoutesConfig } from '../http/types.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import { createPaymentGate } from './payment-gate.js'
import {
  encodeSettlementOverrides,
  resolveSettlementAmount,
  SETTLEMENT_OVERRIDES_HEADER,
} from './settlement-overrides.js'

const max: PaymentRequirements = {
  scheme: 'upto',
  network: CASH_NETWORK,
  amount: '1000',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
}
const noDollars = () => undefined

describe('resolveSettlementAmount', () => {
  test.each([
    ['1000', '1000'],
    ['0', '0'],
    ['250', '250'],
    ['50%', '500'],
    ['33.33%', '333'], // 333.3, rounded down
    ['0.01%', '0'],
    ['100%', '1000'],
    ['100.00%', '1000'],
  ])('%s of a 1000 maximum is %s atomic units', (amount, atomic) => {
    expect(resolveSettlementAmount(amount, max, noDollars)).toBe(atomic)
  })

  test('dollars go through the scheme, and must convert to the offer asset', () => {
    expect(resolveSettlementAmount('$0.05', max, (price) => (price === '$0.05' ? '5' : undefined))).toBe('5')
    expect(() => resolveSettlementAmount('$0.05', max, noDollars)).toThrow(/cannot be converted to USD/)
  })

  test.each([
    ['1001', /exceeds the authorized maximum of 1000/],
    ['100.01%', /not atomic units/],
    ['150%', /not atomic units/],
    ['1.5', /not atomic units/],
    ['-1', /not atomic units/],
    ['007', /not atomic units/],
    ['1e3', /not atomic units/],
    ['', /not atomic units/],
  ])('refuses %j', (amount, message) => {
    expect(() => resolveSettlementAmount(amount, max, noDollars)).toThrow(message)
  })

  test('a non-string amount is refused, an integer is read as atomic units', () => {
    expect(resolveSettlementAmount(7, max, noDollars)).toBe('7')
    expect(() => resolveSettlementAmount(null, max, noDollars)).toThrow(/must be a string/)
    expect(() => resolveSettlementAmount(1.5, max, noDollars)).toThrow(/must be a string/)
  })
})

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$10.00', payTo: 'shop' } as const // 1000 cents

function setup(refuse?: string) {
  const cash = cashFacilitator({ alice: 5000 })
  cash.behaviour.upto = true
  const inner = createFacilitator({ schemes: [cash] })
  const facilitator: FacilitatorClient = {
    supported: () => inner.supported(),
    verify: (p, r) =>
      refuse
        ? Promise.resolve({ isValid: false, invalidReason: refuse, payer: 'alice' })
        : inner.verify(p, r),
    settle: (p, r) => inner.settle(p, r),
  }
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  const routes: RoutesConfig = {
    'GET /metered': { accepts },
    'GET /before': { accepts, settlement: 'before' },
  }
  const handler = createHttpPaymentHandler(server, { routes })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, server, handler, client }
}

/** Pays `path`; the "handler" answers `content` (with its headers); returns the final response. */
async function pay(stack: ReturnType<typeof setup>, path: string, content: () => Response) {
  const url = `http://shop.test${path}`
  const unpaid = await stack.handler.handle(new Request(url))
  if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
  const required = decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
  const payload = await stack.client.createPaymentPayload(required)
  const outcome = await stack.handler.handle(
    new Request(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) } }),
  )
  if (outcome.kind === 'free') throw new Error('free')
  if (outcome.kind === 'respond') return outcome.response
  return outcome.settle(content())
}

const metered = (amount: string) =>
  new Response('used a little', {
    headers: { [SETTLEMENT_OVERRIDES_HEADER]: encodeSettlementOverrides({ amount }) },
  })

describe('Settlement-Overrides on the HTTP payment handler', () => {
  test('the handler reports what was used: that amount is settled and the header never reaches the client', async () => {
    const stack = setup()
    const response = await pay(stack, '/metered', () => metered('40%'))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('used a little')
    expect(response.headers.has(SETTLEMENT_OVERRIDES_HEADER)).toBe(false)
    expect(decodePaymentResponse(response.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')).toMatchObject({
      success: true,
    })
    expect(stack.cash.balances.get('alice')).toBe(5000n - 400n)
  })

  test('without an override the full maximum is settled', async () => {
    const stack = setup()
    const response = await pay(stack, '/metered', () => new Response('all of it'))
    expect(response.status).toBe(200)
    expect(stack.cash.balances.get('alice')).toBe(5000n - 1000n)
  })

  test.each([
    ['above the maximum', '1001'],
    ['not an amount', 'lots'],
  ])('an override %s answers 500, sends no content and settles nothing', async (_case, amount) => {
    const stack = setup()
    const response = await pay(stack, '/metered', () => metered(amount))
    expect(response.status).toBe(500)
    const body = await response.json()
    expect(body).toMatchObject({ error: 'invalid_settlement_override' })
    expect(JSON.stringify(body)).not.toContain('used a little')
    expect(stack.cash.settled).toHaveLength(0)
    expect(stack.cash.balances.get('alice')).toBe(5000n)
  })

  test('settled before the handler ran, an override changes nothing and is removed', async () => {
    const stack = setup()
    const response = await pay(stack, '/before', () => metered('1'))
    expect(response.status).toBe(200)
    expect(response.headers.has(SETTLEMENT_OVERRIDES_HEADER)).toBe(false)
    expect(stack.cash.balances.get('alice')).toBe(5000n - 1000n)
  })

  test('a Permit2 payment without the token allowance is answered 412 with the terms', async () => {
    const stack = setup('permit2_allowance_required')
    const response = await pay(stack, '/metered', () => new Response('never'))
    expect(response.status).toBe(412)
    expect(decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')).toMatchObject({
      error: 'permit2_allowance_required',
    })
    expect(stack.cash.settled).toHaveLength(0)
  })
})

describe('PaymentGate settle with overrides', () => {
  test('settles the reported amount once; a bad override settles nothing', async () => {
    const stack = setup()
    const gate = createPaymentGate(stack.server, { resource: 'mcp://tool/metered', accepts })
    const payOnce = async () => {
      const required = await gate.required({})
      if (required.kind !== 'required') throw new Error(required.message)
      const verdict = await gate.verify({}, await stack.client.createPaymentPayload(required.paymentRequired))
      if (verdict.kind !== 'verified') throw new Error(verdict.kind)
      return verdict
    }
    const verdict = await payOnce()
    expect(await verdict.settle({ amount: '250' })).toMatchObject({ kind: 'settled' })
    expect(await verdict.settle({ amount: '900' })).toMatchObject({ kind: 'settled' }) // the first outcome
    expect(stack.cash.balances.get('alice')).toBe(5000n - 250n)

    const bad = await payOnce()
    expect(await bad.settle({ amount: '2000' })).toMatchObject({
      kind: 'unavailable',
      reason: 'invalid_settlement_override',
    })
    expect(stack.cash.balances.get('alice')).toBe(5000n - 250n)
  })
})
