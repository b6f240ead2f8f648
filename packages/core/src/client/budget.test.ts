import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient } from '../../test/cash-scheme.js'
import { isX402Error } from '../errors/x402-error.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/index.js'
import { budget } from './budget.js'
import { type BudgetStore, createMemoryBudgetStore } from './budget-store.js'
import { createPaymentClient } from './create-payment-client.js'

const offer = (amount: string, overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
  scheme: 'cash',
  network: CASH_NETWORK,
  amount,
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: {},
  ...overrides,
})

const required = (amount: string, url = 'https://api.example.com/x'): PaymentRequired => ({
  x402Version: 2,
  resource: { url },
  accepts: [offer(amount)],
})

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!isX402Error(error)) throw new Error(`expected an X402Error, got ${String(error)}`)
  return { code: error.code, message: error.message }
}

function clock(start = 0) {
  const state = { time: start }
  return { now: () => state.time, state }
}

describe('budget', () => {
  test('refuses the payment that would go over, naming the budget, the host and the amounts', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1.00', per: 'host', window: 'day' })],
    })
    await client.createPaymentPayload(required('60'))
    await client.createPaymentPayload(required('40'))
    const error = await refusal(client.createPaymentPayload(required('2')))
    expect(error).toEqual({
      code: 'payment_refused_by_policy',
      message:
        'no acceptable payment option: offer 1 (cash on cash:test, 2 of USD): budget(per host api.example.com, $1.00/day): would spend $1.02 (spent $1.00)',
    })
  })

  test('starts over in the next window', async () => {
    const time = clock(Date.UTC(2026, 0, 1, 10))
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', window: 'hour', now: time.now })],
    })
    await client.createPaymentPayload(required('100'))
    time.state.time += 59 * 60_000
    expect((await refusal(client.createPaymentPayload(required('1')))).message).toContain(
      'budget(total, $1.00/hour): would spend $1.01 (spent $1.00)',
    )
    time.state.time += 60_000 // 11:00, a new hour
    expect((await client.createPaymentPayload(required('100'))).accepted.amount).toBe('100')
  })

  test('keeps one budget per host', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', per: 'host' })],
    })
    await client.createPaymentPayload(required('100', 'https://a.example/x'))
    expect((await client.createPaymentPayload(required('100', 'https://b.example/x'))).accepted.amount).toBe(
      '100',
    )
    expect(
      (await refusal(client.createPaymentPayload(required('1', 'https://a.example/y')))).message,
    ).toContain('budget(per host a.example, $1.00): would spend $1.01 (spent $1.00)')
  })

  test('uses the request URL given by the HTTP client over resource.url', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', per: 'host' })],
    })
    await client.createPaymentPayload(required('100', 'https://liar.example/x'), {
      url: 'https://real.example/x',
    })
    const error = await refusal(
      client.createPaymentPayload(required('1', 'https://other.example/x'), {
        url: 'https://real.example/y',
      }),
    )
    expect(error.message).toContain('budget(per host real.example, $1.00)')
  })

  test('does not overspend when payments are created concurrently', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1' })],
    })
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.createPaymentPayload(required('30'))),
    )
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ])
  })

  test('release gives the reserved amount back once', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1' })],
    })
    const payment = await client.createPaymentPayload(required('100'))
    expect((await refusal(client.createPaymentPayload(required('1')))).code).toBe('payment_refused_by_policy')
    expect(await client.release(payment)).toBe(true)
    expect(await client.release(payment)).toBe(false)
    expect((await client.createPaymentPayload(required('100'))).accepted.amount).toBe('100')
  })

  test('persists through its store, so a new client resumes the spent amount', async () => {
    const time = clock(1_000)
    const data = new Map<string, { spent: bigint; expiresAt?: number }>()
    const store: BudgetStore = {
      async get(key) {
        return data.get(key)?.spent
      },
      async set(key, spent, expiresAt) {
        data.set(key, { spent, ...(expiresAt === undefined ? {} : { expiresAt }) })
      },
    }
    const make = () =>
      createPaymentClient({
        schemes: [cashClient('alice')],
        policies: [budget({ max: '$1', window: { ms: 10_000 }, store, now: time.now })],
      })
    await make().createPaymentPayload(required('70'))
    expect(data).toEqual(new Map([['budget:*:0', { spent: 700_000_000_000_000_000n, expiresAt: 10_000 }]]))
    expect((await refusal(make().createPaymentPayload(required('40')))).message).toContain(
      'would spend $1.10 (spent $0.70)',
    )
  })

  test('clients given one live store share one budget, even when they race', async () => {
    const store = createMemoryBudgetStore()
    const clients = Array.from({ length: 4 }, () =>
      createPaymentClient({
        schemes: [cashClient('alice')],
        policies: [budget({ max: '$1', per: 'host', store })],
      }),
    )
    const results = await Promise.allSettled(
      clients.flatMap((client) => [
        client.createPaymentPayload(required('30')),
        client.createPaymentPayload(required('30')),
      ]),
    )
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3)
    expect(store.get('budget:api.example.com:0')).toBe(900_000_000_000_000_000n)
    const rejected = results.find((result) => result.status === 'rejected')
    expect(isX402Error(rejected?.reason, 'payment_refused_by_policy')).toBe(true)
    expect(String(rejected?.reason.message)).toMatch(
      /budget\(per host api\.example\.com, \$1\.00\): would spend \$1\.20 \(spent \$0\.90/,
    )
  })

  test('the memory store adds atomically within a limit and never goes below zero', () => {
    const store = createMemoryBudgetStore()
    expect(store.add?.('k', 5n, 10n)).toEqual({ added: true, spent: 5n })
    expect(store.add?.('k', 6n, 10n)).toEqual({ added: false, spent: 5n })
    expect(store.add?.('k', -9n)).toEqual({ added: true, spent: 0n })
  })

  test('the memory store forgets expired windows', () => {
    const time = clock(0)
    const store = createMemoryBudgetStore(time.now)
    store.set('k', 5n, 10)
    expect(store.get('k')).toBe(5n)
    time.state.time = 10
    expect(store.get('k')).toBeUndefined()
  })

  test('refuses an asset of unknown decimals and a URL without a host', async () => {
    const client = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', per: 'host' })],
    })
    expect((await refusal(client.createPaymentPayload(required('1', '/relative')))).message).toContain(
      'budget(per host ?, $1.00): the host of "/relative" is unknown',
    )
    const eur: PaymentRequired = { ...required('1'), accepts: [offer('1', { asset: 'EUR' })] }
    expect((await refusal(client.createPaymentPayload(eur))).message).toContain(
      'decimals of asset EUR on cash:test are unknown',
    )
  })

  test('rejects an invalid window at construction', () => {
    expect(() => budget({ max: '$1', window: { ms: 0 } })).toThrow(/positive whole number of ms/)
  })
})

describe('confirm', () => {
  test('asks with the chosen offer and the URL, and refuses naming confirm when the answer is no', async () => {
    const asked: string[] = []
    const scheme = cashClient('alice')
    const client = createPaymentClient({
      schemes: [scheme],
      policies: [budget({ max: '$1' })],
      confirm: async (chosen, context) => {
        asked.push(`${chosen.amount} ${context.host}`)
        return asked.length !== 2
      },
    })
    expect((await client.createPaymentPayload(required('10'))).accepted.amount).toBe('10')
    const error = await refusal(client.createPaymentPayload(required('90')))
    expect(error).toEqual({
      code: 'payment_refused_by_policy',
      message:
        'no acceptable payment option: confirm: the payment of 90 of USD on cash:test to shop was not confirmed',
    })
    expect(scheme.calls).toBe(1)
    // The refused payment's reservation was released, so 90 more cents still fit in the $1 budget.
    expect((await client.createPaymentPayload(required('90'))).accepted.amount).toBe('90')
    expect(asked).toEqual(['10 api.example.com', '90 api.example.com', '90 api.example.com'])
  })
})
