import { budget, createPaymentClient, isX402Error, type PaymentRequired } from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient } from '../../core/test/cash-scheme.js'
import { createStorageBudgetStore } from '../src/budgets/storage-budget-store.js'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const DAY = 86_400_000

/** A 402 for `cents` of the cash scheme's USD (2 decimals). */
const required = (cents: string): PaymentRequired => ({
  x402Version: 2,
  resource: { url: 'https://api.example.com/report' },
  accepts: [
    {
      scheme: 'cash',
      network: CASH_NETWORK,
      amount: cents,
      asset: 'USD',
      payTo: 'shop',
      maxTimeoutSeconds: 60,
      extra: {},
    },
  ],
})

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!isX402Error(error)) throw new Error(`expected an X402Error, got ${String(error)}`)
  return { code: error.code, message: error.message }
}

describe.each(ENGINES)('storage budget store on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('set and get round-trip amounts beyond 2^64 as decimal strings', async () => {
    const store = createStorageBudgetStore(storage)
    const big = 123_456_789_012_345_678_901_234_567_890n
    expect(await store.get('budget:*:0')).toBeUndefined()
    await store.set('budget:*:0', big)
    expect(await store.get('budget:*:0')).toBe(big)
    expect((await storage.keyValue('client-budgets').get('budget:*:0'))?.value).toBe(big.toString())
    await store.set('budget:*:0', 0n)
    expect(await store.get('budget:*:0')).toBe(0n)
    const other = createStorageBudgetStore(storage, { namespace: 'other-budgets' })
    expect(await other.get('budget:*:0')).toBeUndefined()
  })

  test('an entry reads as absent once its window ends, and the next window deletes it', async () => {
    const store = createStorageBudgetStore(storage)
    const end = fixture.clock.now + 1000
    await store.set('budget:*:a', 5n, end)
    expect(await storage.keyValue('client-budgets').get('budget:*:a')).toMatchObject({
      value: '5',
      expiresAt: end,
    })
    fixture.clock.now = end - 1
    expect(await store.get('budget:*:a')).toBe(5n)
    fixture.clock.now = end
    expect(await store.get('budget:*:a')).toBeUndefined()
    await store.set('budget:*:b', 7n, end + 1000)
    // The expired window is gone for good, not only hidden.
    expect(await storage.keyValue('client-budgets').delete('budget:*:a')).toBe(false)
    expect(await store.get('budget:*:b')).toBe(7n)
  })

  test('rejects a negative amount and a stored value that is not a whole number', async () => {
    const store = createStorageBudgetStore(storage)
    await expect(store.set('k', -1n)).rejects.toThrow(/cannot be negative/)
    await storage.keyValue('client-budgets').put('k', '1.5')
    await expect(store.get('k')).rejects.toThrow(/holds "1.5", not a whole number/)
  })

  test('a second client over the same database sees the first one spending and refuses', async () => {
    const now = () => fixture.clock.now
    const first = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', window: 'day', store: createStorageBudgetStore(storage), now })],
    })
    expect((await first.createPaymentPayload(required('70'))).accepted.amount).toBe('70')

    // Another process: a new storage handle (a new pool on PostgreSQL) and a new store object.
    const restarted = fixture.open()
    const second = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', window: 'day', store: createStorageBudgetStore(restarted), now })],
    })
    expect(await refusal(second.createPaymentPayload(required('40')))).toEqual({
      code: 'payment_refused_by_policy',
      message:
        'no acceptable payment option: offer 1 (cash on cash:test, 40 of USD): budget(total, $1.00/day): would spend $1.10 (spent $0.70)',
    })
    expect((await second.createPaymentPayload(required('30'))).accepted.amount).toBe('30')

    // The next UTC day starts over, for a client that starts then too.
    fixture.clock.now = (Math.floor(fixture.clock.now / DAY) + 1) * DAY
    const nextDay = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', window: 'day', store: createStorageBudgetStore(restarted), now })],
    })
    expect((await nextDay.createPaymentPayload(required('100'))).accepted.amount).toBe('100')
  })
})
