import { isX402Error } from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { SettlementDetails } from '../src/settlements/settlement-record.js'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const details: SettlementDetails = {
  scheme: 'exact',
  network: 'eip155:84532',
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  amount: '10000',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
}

describe.each(ENGINES)('verification log on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('records an entry with its details, reason and the clock time', async () => {
    const record = await storage.verifications.record({
      paymentId: 'p1',
      stage: 'verify',
      result: 'refused',
      reason: 'insufficient_funds',
      message: 'balance 5, needs 10000',
      details,
    })
    expect(record).toEqual({
      seq: expect.any(Number),
      paymentId: 'p1',
      stage: 'verify',
      result: 'refused',
      reason: 'insufficient_funds',
      message: 'balance 5, needs 10000',
      scheme: 'exact',
      network: 'eip155:84532',
      asset: details.asset,
      amount: '10000',
      payer: details.payer,
      payTo: details.payTo,
      createdAt: fixture.clock.now,
    })
    expect((await storage.verifications.list({ paymentId: 'p1' })).records).toEqual([record])
  })

  test('lists newest first by insertion order, even within one millisecond, filtered and paged', async () => {
    const log = storage.verifications
    await log.record({ paymentId: 'p1', stage: 'verify', result: 'refused', reason: 'invalid_signature' })
    await log.record({ paymentId: 'p2', stage: 'verify', result: 'valid', details })
    await log.record({ paymentId: 'p1', stage: 'settle', result: 'refused', reason: 'insufficient_funds' })
    await log.record({ paymentId: 'p1', stage: 'verify', result: 'valid', details })
    const all = await log.list()
    expect(all.records.map((record) => [record.paymentId, record.stage, record.result])).toEqual([
      ['p1', 'verify', 'valid'],
      ['p1', 'settle', 'refused'],
      ['p2', 'verify', 'valid'],
      ['p1', 'verify', 'refused'],
    ])
    expect(all.nextCursor).toBeUndefined()
    const refusals = await log.list({ paymentId: 'p1', result: 'refused' })
    expect(refusals.records.map((record) => record.reason)).toEqual([
      'insufficient_funds',
      'invalid_signature',
    ])
    expect((await log.list({ stage: 'settle' })).records.map((record) => record.reason)).toEqual([
      'insufficient_funds',
    ])
    expect((await log.list({ payer: details.payer })).records.map((record) => record.paymentId)).toEqual([
      'p1',
      'p2',
    ])
    const first = await log.list({ limit: 3 })
    expect(first.records).toEqual(all.records.slice(0, 3))
    const second = await log.list({ limit: 3, cursor: first.nextCursor as string })
    expect(second).toEqual({ records: all.records.slice(3) })
  })

  test('lastRefusal is the latest refusal of the payment, ignoring valid entries and other payments', async () => {
    const log = storage.verifications
    expect(await log.lastRefusal('p1')).toBeUndefined()
    await log.record({ paymentId: 'p1', stage: 'verify', result: 'refused', reason: 'invalid_signature' })
    await log.record({ paymentId: 'p1', stage: 'settle', result: 'refused', reason: 'insufficient_funds' })
    await log.record({ paymentId: 'p1', stage: 'verify', result: 'valid' })
    await log.record({ paymentId: 'p2', stage: 'verify', result: 'refused', reason: 'invalid_network' })
    expect(await log.lastRefusal('p1')).toMatchObject({
      paymentId: 'p1',
      stage: 'settle',
      reason: 'insufficient_funds',
      message: null,
      payer: null,
    })
  })

  test('prune deletes entries older than the retention and keeps the rest', async () => {
    const log = storage.verifications
    await log.record({ paymentId: 'old', stage: 'verify', result: 'valid' })
    fixture.clock.now += 60_000
    await log.record({ paymentId: 'new', stage: 'verify', result: 'valid' })
    fixture.clock.now += 1_000
    expect(await log.prune({ olderThanMs: 30_000 })).toBe(1)
    expect((await log.list()).records.map((record) => record.paymentId)).toEqual(['new'])
    expect(await log.prune({ olderThanMs: 30_000 })).toBe(0)
  })

  test('rejects a page size out of range and a cursor it did not issue', async () => {
    const codes = await Promise.all(
      [{ limit: 0 }, { limit: 1001 }, { cursor: 'not-a-cursor' }].map((options) =>
        storage.verifications.list(options).then(
          () => 'resolved',
          (error: unknown) => (isX402Error(error) ? error.code : 'other'),
        ),
      ),
    )
    expect(codes).toEqual(['invalid_config', 'invalid_config', 'invalid_config'])
  })

  test('entries written by one instance are read by another', async () => {
    const other = fixture.open()
    await storage.verifications.record({ paymentId: 'p1', stage: 'verify', result: 'refused', reason: 'x' })
    expect(await other.verifications.lastRefusal('p1')).toMatchObject({ reason: 'x', stage: 'verify' })
  })
})
