import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { budget, createPaymentClient, isX402Error, type PaymentRequired } from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient } from '../../core/test/cash-scheme.js'
import { DEFAULT_BUDGET_STORE_URL, openBudgetStore } from '../src/budgets/open-budget-store.js'
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

describe.each(ENGINES)('a budget shared live on %s', (engine) => {
  let fixture: EngineFixture
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    await fixture.open().migrate()
  })
  afterEach(() => fixture.cleanup())

  test('ten clients on ten handles racing for one $1 budget spend exactly $0.90 of it', async () => {
    const now = () => fixture.clock.now
    const clients = Array.from({ length: 10 }, () =>
      createPaymentClient({
        schemes: [cashClient('alice')],
        policies: [
          budget({ max: '$1', window: 'day', store: createStorageBudgetStore(fixture.open()), now }),
        ],
      }),
    )
    const outcomes = await Promise.all(
      clients.map((client) =>
        client.createPaymentPayload(required('30')).then(
          () => 'paid',
          (error: unknown) => (isX402Error(error) ? error.code : String(error)),
        ),
      ),
    )
    expect(outcomes.filter((outcome) => outcome === 'paid')).toHaveLength(3)
    expect(outcomes.filter((outcome) => outcome === 'payment_refused_by_policy')).toHaveLength(7)
    // Keys are `<budget id>:<host or *>:<window start>`; amounts in 10^-18 dollars.
    const today = Math.floor(now() / DAY) * DAY
    expect(await createStorageBudgetStore(fixture.open()).get(`budget:*:${today}`)).toBe(
      900_000_000_000_000_000n,
    )
  })

  test('a release by one client is seen by another at once', async () => {
    const now = () => fixture.clock.now
    const first = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', store: createStorageBudgetStore(fixture.open()), now })],
    })
    const second = createPaymentClient({
      schemes: [cashClient('alice')],
      policies: [budget({ max: '$1', store: createStorageBudgetStore(fixture.open()), now })],
    })
    const payment = await first.createPaymentPayload(required('80'))
    expect((await refusal(second.createPaymentPayload(required('30')))).message).toBe(
      'no acceptable payment option: offer 1 (cash on cash:test, 30 of USD): budget(total, $1.00): would spend $1.10 (spent $0.80)',
    )
    expect(await first.release(payment)).toBe(true)
    expect((await second.createPaymentPayload(required('30'))).accepted.amount).toBe('30')
  })
})

const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
const BUDGET_PROCESS = fileURLToPath(new URL('./budget-process.ts', import.meta.url))

/** Starts a client process in `cwd`, releases it with the others, and returns what each payment did. */
function startClient(cwd: string, count: number, cents: string) {
  const child = spawn(TSX, ['--conditions=@open402/source', BUDGET_PROCESS, String(count), cents], {
    cwd,
    stdio: 'pipe',
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    ready: lines.next().then((line) => {
      if (line.value !== 'ready') throw new Error(`client did not start: ${stderr}`)
    }),
    go: () => child.stdin.write('go\n'),
    result: async () => {
      const line = await lines.next()
      if (line.done) throw new Error(`client exited without a result: ${stderr}`)
      return JSON.parse(line.value) as string[]
    },
  }
}

describe('openBudgetStore', () => {
  test(`defaults to ${DEFAULT_BUDGET_STORE_URL}, shared live by client processes in that directory`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'open402-budgets-'))
    try {
      const clients = [startClient(dir, 8, '10'), startClient(dir, 8, '10')]
      await Promise.all(clients.map((client) => client.ready))
      for (const client of clients) client.go()
      const results = (await Promise.all(clients.map((client) => client.result()))).flat()
      expect(results.filter((result) => result === 'paid')).toHaveLength(10)
      expect(results.filter((result) => result === 'refused')).toHaveLength(6)
      expect(existsSync(join(dir, 'open402-budgets.db'))).toBe(true)

      // A restarted client resumes the spent budget from the file.
      const restarted = await openBudgetStore({ url: `sqlite:${join(dir, 'open402-budgets.db')}` })
      try {
        const client = createPaymentClient({
          schemes: [cashClient('alice')],
          policies: [budget({ max: '$1', window: 'day', store: restarted })],
        })
        expect((await refusal(client.createPaymentPayload(required('1')))).code).toBe(
          'payment_refused_by_policy',
        )
      } finally {
        await restarted.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
