import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createMemoryIdempotencyStore } from '../extensions/idempotency-store.js'
import { declarePaymentIdentifier, PAYMENT_IDENTIFIER } from '../extensions/payment-identifier.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'
import { createFacilitator } from './create-facilitator.js'

const requirements: PaymentRequirements = {
  scheme: 'cash',
  network: CASH_NETWORK,
  amount: '25',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: {},
}
const required: PaymentRequired = {
  x402Version: 2,
  resource: { url: 'https://shop.test/report' },
  accepts: [requirements],
  extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifier() },
}
const ID = 'pay_00000000000000000000000000000001'

function setup() {
  const cash = cashFacilitator({ alice: 1000 })
  const store = createMemoryIdempotencyStore()
  const facilitator = createFacilitator({ schemes: [cash], idempotency: { store } })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  const pay = (id = ID) => client.createPaymentPayload(required, { paymentIdentifier: id })
  return { cash, store, facilitator, pay }
}

describe('createFacilitator with idempotency', () => {
  test('lists payment-identifier in /supported', async () => {
    expect((await setup().facilitator.supported()).extensions).toEqual(['payment-identifier', 'bazaar'])
    const plain = createFacilitator({ schemes: [cashFacilitator()] })
    expect((await plain.supported()).extensions).toEqual(['bazaar'])
  })

  test('the same id and payload get the first settle answer again and nothing settles twice', async () => {
    const { cash, facilitator, pay } = setup()
    const payment = await pay()
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: 'alice' })
    const first = await facilitator.settle(payment, requirements)
    expect(first).toMatchObject({ success: true, transaction: 'cash-tx-1' })
    // Without the identifier, the guard would refuse this retry as duplicate_settlement.
    expect(await facilitator.settle(payment, requirements)).toEqual(first)
    // A settled payment verifies again as valid, so a server that lost its answer can run it again.
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(cash.settled).toHaveLength(1)
    expect(cash.balances.get('alice')).toBe(975n)
  })

  test('the same id with another payload is refused payment_identifier_conflict on verify and settle', async () => {
    const { cash, facilitator, pay } = setup()
    await facilitator.settle(await pay(), requirements)
    const other = await pay()
    expect(await facilitator.verify(other, requirements)).toEqual({
      isValid: false,
      invalidReason: 'payment_identifier_conflict',
      invalidMessage: `payment identifier ${ID} was already used with a different payment`,
    })
    expect(await facilitator.settle(other, requirements)).toMatchObject({
      success: false,
      errorReason: 'payment_identifier_conflict',
      transaction: '',
    })
    expect(cash.settled).toHaveLength(1)
  })

  test('a refused payment is not remembered: its id can carry another payment', async () => {
    const { cash, facilitator, pay } = setup()
    cash.balances.set('alice', 0n)
    expect(await facilitator.verify(await pay(), requirements)).toMatchObject({
      invalidReason: 'insufficient_funds',
    })
    expect(await facilitator.settle(await pay(), requirements)).toMatchObject({ success: false })
    cash.balances.set('alice', 1000n)
    expect(await facilitator.settle(await pay(), requirements)).toMatchObject({ success: true })
  })

  test('a malformed id is refused invalid_payment_identifier; no id settles as usual', async () => {
    const { cash, facilitator, pay } = setup()
    const payment = await pay()
    const malformed = { ...payment, extensions: { [PAYMENT_IDENTIFIER]: { info: { id: 'short' } } } }
    expect(await facilitator.verify(malformed, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_payment_identifier',
    })
    expect(await facilitator.settle(malformed, requirements)).toMatchObject({
      errorReason: 'invalid_payment_identifier',
    })
    const { extensions: _dropped, ...bare } = payment
    expect(await facilitator.settle(bare, requirements)).toMatchObject({ success: true })
    expect(cash.settled).toHaveLength(1)
  })

  test('a store that is down refuses with idempotency_store_unavailable and settles nothing', async () => {
    const { cash, store, facilitator, pay } = setup()
    store.get = () => Promise.reject(new Error('ECONNREFUSED'))
    const payment = await pay()
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'idempotency_store_unavailable',
    })
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: 'idempotency_store_unavailable',
      errorMessage: 'the idempotency store is unavailable, nothing was done: ECONNREFUSED',
    })
    expect(cash.settled).toHaveLength(0)
  })

  test('identifiers are scoped by network and recipient', async () => {
    const { facilitator, pay } = setup()
    await facilitator.settle(await pay(), requirements)
    const elsewhere = { ...requirements, payTo: 'other-shop' }
    const otherShop = await createPaymentClient({ schemes: [cashClient('alice')] }).createPaymentPayload(
      { ...required, accepts: [elsewhere] },
      { paymentIdentifier: ID },
    )
    expect(await facilitator.settle(otherShop, elsewhere)).toMatchObject({ success: true })
  })
})
