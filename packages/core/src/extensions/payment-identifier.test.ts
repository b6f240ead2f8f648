import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequired } from '../schemas/payment-required.js'
import { createMemoryIdempotencyStore } from './idempotency-store.js'
import {
  assertIsPaymentIdentifier,
  createPaymentIdentifier,
  declarePaymentIdentifier,
  isPaymentIdentifier,
  PAYMENT_IDENTIFIER,
  PAYMENT_IDENTIFIER_SCHEMA,
  paymentIdentifierDeclarationOf,
  readPaymentIdentifier,
  withPaymentIdentifier,
} from './payment-identifier.js'

const payment = (extensions?: Record<string, unknown>): PaymentPayload => ({
  x402Version: 2,
  accepted: {
    scheme: 'cash',
    network: CASH_NETWORK,
    amount: '25',
    asset: 'USD',
    payTo: 'shop',
    maxTimeoutSeconds: 60,
    extra: {},
  },
  payload: {},
  ...(extensions === undefined ? {} : { extensions }),
})

describe('payment identifiers', () => {
  test.each([
    ['pay_7d5d747be160e280504c099d984bcfe0', true],
    ['a'.repeat(16), true],
    ['A-b_9'.repeat(25).slice(0, 128), true],
    ['a'.repeat(15), false],
    ['a'.repeat(129), false],
    ['pay 7d5d747be160e280504c', false],
    ['pay_7d5d747be160e280504c099d.', false],
    [42, false],
  ])('isPaymentIdentifier(%j) is %s', (value, valid) => {
    expect(isPaymentIdentifier(value)).toBe(valid)
  })

  test('createPaymentIdentifier makes distinct pay_ + 32 hex ids that validate', () => {
    const ids = new Set(Array.from({ length: 50 }, () => createPaymentIdentifier()))
    expect(ids.size).toBe(50)
    for (const id of ids) {
      expect(id).toMatch(/^pay_[0-9a-f]{32}$/)
      expect(() => assertIsPaymentIdentifier(id)).not.toThrow()
    }
  })

  test('assertIsPaymentIdentifier throws invalid_payment_identifier saying what is expected', () => {
    let caught: unknown
    try {
      assertIsPaymentIdentifier('nope')
    } catch (error) {
      caught = error
    }
    expect(isX402Error(caught, 'invalid_payment_identifier')).toBe(true)
    expect((caught as Error).message).toBe(
      'payment identifier "nope" must be 16-128 characters of A-Z, a-z, 0-9, "_" or "-"',
    )
  })

  test('declarePaymentIdentifier builds the { info, schema } entry of the spec', () => {
    expect(declarePaymentIdentifier()).toEqual({
      info: { required: false },
      schema: PAYMENT_IDENTIFIER_SCHEMA,
    })
    expect(declarePaymentIdentifier({ required: true }).info).toEqual({ required: true })
    expect(PAYMENT_IDENTIFIER_SCHEMA.properties.id).toMatchObject({ minLength: 16, maxLength: 128 })
    expect(
      paymentIdentifierDeclarationOf({ [PAYMENT_IDENTIFIER]: declarePaymentIdentifier({ required: true }) }),
    ).toEqual({
      required: true,
    })
    expect(paymentIdentifierDeclarationOf({ [PAYMENT_IDENTIFIER]: { info: {} } })).toEqual({
      required: false,
    })
    expect(paymentIdentifierDeclarationOf({ bazaar: {} })).toBeUndefined()
    expect(paymentIdentifierDeclarationOf(undefined)).toBeUndefined()
  })

  test.each([
    [undefined, { status: 'absent' }],
    [{ [PAYMENT_IDENTIFIER]: { info: { required: false } } }, { status: 'absent' }],
    [{ [PAYMENT_IDENTIFIER]: { schema: {} } }, { status: 'absent' }],
    [
      { [PAYMENT_IDENTIFIER]: { info: { id: 'pay_0123456789abcdef' } } },
      { status: 'valid', id: 'pay_0123456789abcdef' },
    ],
    [{ [PAYMENT_IDENTIFIER]: { info: { id: 'x' } } }, { status: 'invalid' }],
    [{ [PAYMENT_IDENTIFIER]: { info: { id: 1234567890123456 } } }, { status: 'invalid' }],
    [{ [PAYMENT_IDENTIFIER]: 'pay_0123456789abcdef' }, { status: 'invalid' }],
    [{ [PAYMENT_IDENTIFIER]: { info: 'pay_0123456789abcdef' } }, { status: 'invalid' }],
  ])('readPaymentIdentifier(%j)', (extensions, expected) => {
    expect(readPaymentIdentifier(payment(extensions))).toMatchObject(expected)
  })

  test('withPaymentIdentifier echoes every field, adds the id, and never replaces one', () => {
    const echoed = {
      [PAYMENT_IDENTIFIER]: { info: { required: true, note: 'x' }, schema: { a: 1 } },
      bazaar: { b: 2 },
    }
    expect(withPaymentIdentifier(echoed, 'pay_0123456789abcdef')).toEqual({
      [PAYMENT_IDENTIFIER]: {
        info: { required: true, note: 'x', id: 'pay_0123456789abcdef' },
        schema: { a: 1 },
      },
      bazaar: { b: 2 },
    })
    const withId = { [PAYMENT_IDENTIFIER]: { info: { required: false, id: 'server_chosen_id_00' } } }
    expect(withPaymentIdentifier(withId, 'pay_0123456789abcdef')).toBe(withId)
    expect(withPaymentIdentifier({ bazaar: {} }, 'pay_0123456789abcdef')).toEqual({ bazaar: {} })
  })
})

describe('createPaymentPayload and payment-identifier', () => {
  const required = (extensions?: Record<string, unknown>): PaymentRequired => ({
    x402Version: 2,
    resource: { url: 'https://shop.test/report' },
    accepts: [payment().accepted],
    ...(extensions === undefined ? {} : { extensions }),
  })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })

  test('adds no id when the 402 does not declare the extension', async () => {
    expect((await client.createPaymentPayload(required({ bazaar: { info: {} } }))).extensions).toEqual({
      bazaar: { info: {} },
    })
    expect((await client.createPaymentPayload(required())).extensions).toBeUndefined()
  })

  test('uses the id given in the options, and refuses a malformed one', async () => {
    const declared = required({ [PAYMENT_IDENTIFIER]: declarePaymentIdentifier() })
    const paid = await client.createPaymentPayload(declared, { paymentIdentifier: 'order_2024_000042' })
    expect(readPaymentIdentifier(paid)).toEqual({ status: 'valid', id: 'order_2024_000042' })
    await expect(
      client.createPaymentPayload(declared, { paymentIdentifier: 'bad id' }),
    ).rejects.toMatchObject({
      code: 'invalid_payment_identifier',
    })
  })
})

describe('createMemoryIdempotencyStore', () => {
  test('putIfAbsent is first-writer-wins until the entry expires', async () => {
    const clock = { now: 1000 }
    const store = createMemoryIdempotencyStore({ now: () => clock.now })
    expect(await store.putIfAbsent('k', { a: 1 }, { ttlMs: 100 })).toEqual({ stored: true })
    expect(await store.putIfAbsent('k', { a: 2 }, { ttlMs: 100 })).toEqual({
      stored: false,
      existing: { value: { a: 1 } },
    })
    clock.now += 100
    expect(await store.get('k')).toBeUndefined()
    expect(await store.putIfAbsent('k', { a: 3 }, { ttlMs: 100 })).toEqual({ stored: true })
  })

  test('compareAndSet writes only over the expected value and sets a new expiry', async () => {
    const clock = { now: 0 }
    const store = createMemoryIdempotencyStore({ now: () => clock.now })
    await store.putIfAbsent('k', { v: 1 }, { ttlMs: 10 })
    expect(await store.compareAndSet('k', { v: 2 }, { v: 3 }, { ttlMs: 10 })).toBe(false)
    expect(await store.compareAndSet('k', { v: 1 }, { v: 3 }, { ttlMs: 1000 })).toBe(true)
    clock.now = 999
    expect(await store.get('k')).toEqual({ value: { v: 3 } })
    expect(await store.compareAndSet('missing', { v: 1 }, { v: 2 }, { ttlMs: 10 })).toBe(false)
    expect(await store.delete('k')).toBe(true)
    expect(await store.delete('k')).toBe(false)
  })

  test('values are copies: changing a stored or read object changes nothing stored', async () => {
    const store = createMemoryIdempotencyStore()
    const value = { list: [1] }
    await store.putIfAbsent('k', value, { ttlMs: 1000 })
    value.list.push(2)
    const read = (await store.get('k'))?.value as { list: number[] }
    read.list.push(3)
    expect(await store.get('k')).toEqual({ value: { list: [1] } })
  })
})
