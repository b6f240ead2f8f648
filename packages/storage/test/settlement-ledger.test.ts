import type { SettleResponse } from '@open402/core'
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
const TX = `0x${'ab'.repeat(32)}`
const confirmedResponse: SettleResponse = {
  success: true,
  transaction: TX,
  network: 'eip155:84532',
  payer: details.payer,
  amount: '10000',
  status: 'confirmed',
}
const claim = { owner: 'instance-a', leaseMs: 30_000 }

describe.each(ENGINES)('settlement ledger on %s', (engine) => {
  let fixture: EngineFixture
  let storage: Storage
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    storage = fixture.open()
    await storage.migrate()
  })
  afterEach(() => fixture.cleanup())

  test('recordVerified stores the payment as verified with its details and the clock time', async () => {
    const record = await storage.settlements.recordVerified('p1', details)
    expect(record).toMatchObject({
      id: 'p1',
      state: 'verified',
      payer: details.payer,
      payTo: details.payTo,
      amount: '10000',
      sent: false,
      attempts: 0,
      response: null,
      createdAt: fixture.clock.now,
      updatedAt: fixture.clock.now,
    })
    expect(await storage.settlements.get('p1')).toEqual(record)
    expect(await storage.settlements.get('unknown')).toBeUndefined()
  })

  test('recordVerified never moves a payment back from a later state', async () => {
    await storage.settlements.claimForSettlement('p1', undefined, claim)
    await storage.settlements.markConfirmed('p1', {
      owner: claim.owner,
      transaction: TX,
      response: confirmedResponse,
    })
    const again = await storage.settlements.recordVerified('p1', details)
    expect(again.state).toBe('confirmed')
    expect(again.response).toEqual(confirmedResponse)
    // Details unknown at claim time are filled in, known ones kept.
    expect(again.payer).toBe(details.payer)
  })

  test('the first claim wins and later claims get the existing record', async () => {
    await storage.settlements.recordVerified('p1', details)
    fixture.clock.now += 5
    const first = await storage.settlements.claimForSettlement('p1', details, claim)
    expect(first).toMatchObject({
      claimed: true,
      record: {
        state: 'claimed',
        claimedBy: 'instance-a',
        leaseUntil: fixture.clock.now + 30_000,
        attempts: 1,
      },
    })
    const second = await storage.settlements.claimForSettlement('p1', details, {
      owner: 'instance-b',
      leaseMs: 1,
    })
    expect(second).toMatchObject({ claimed: false, existing: { state: 'claimed', claimedBy: 'instance-a' } })
  })

  test('a claim whose lease expired before anything was sent is taken over, fencing out the old owner', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    fixture.clock.now += 30_001
    const takeover = await storage.settlements.claimForSettlement('p1', details, {
      owner: 'instance-b',
      leaseMs: 1000,
    })
    expect(takeover).toMatchObject({ claimed: true, record: { claimedBy: 'instance-b', attempts: 2 } })
    expect(
      await storage.settlements.markSending('p1', { owner: 'instance-a', transaction: TX }),
    ).toBeUndefined()
    expect(await storage.settlements.releaseClaim('p1', { owner: 'instance-a' })).toBe(false)
    expect((await storage.settlements.get('p1'))?.claimedBy).toBe('instance-b')
  })

  test('once the transaction is recorded as sending, no claim succeeds even after the lease', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    const sending = await storage.settlements.markSending('p1', {
      owner: claim.owner,
      transaction: TX,
      rawTransaction: '0x02f8aa',
      signer: '0xfacilitator',
      nonce: '7',
    })
    expect(sending).toMatchObject({
      state: 'sending',
      transaction: TX,
      rawTransaction: '0x02f8aa',
      signer: '0xfacilitator',
      nonce: '7',
      sent: true,
    })
    fixture.clock.now += 10 * 60_000
    const retry = await storage.settlements.claimForSettlement('p1', details, {
      owner: 'instance-b',
      leaseMs: 1,
    })
    expect(retry).toMatchObject({ claimed: false, existing: { state: 'sending', transaction: TX } })
  })

  test('a retry of a settled payment gets the original response', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    await storage.settlements.markSending('p1', { owner: claim.owner, transaction: TX })
    const pending: SettleResponse = { ...confirmedResponse, status: 'pending' }
    expect(
      await storage.settlements.markSubmitted('p1', {
        owner: claim.owner,
        transaction: TX,
        response: pending,
      }),
    ).toMatchObject({ state: 'submitted', response: pending })
    const retryWhilePending = await storage.settlements.claimForSettlement('p1', details, claim)
    expect(retryWhilePending).toMatchObject({ claimed: false, existing: { response: pending } })
    const confirmed = await storage.settlements.markConfirmed('p1', { response: confirmedResponse })
    expect(confirmed).toMatchObject({ state: 'confirmed', transaction: TX, response: confirmedResponse })
    const retry = await storage.settlements.claimForSettlement('p1', details, {
      owner: 'instance-b',
      leaseMs: 1,
    })
    expect(retry.claimed).toBe(false)
    expect(retry.claimed === false && retry.existing.response).toEqual(confirmedResponse)
  })

  test('a failure before anything was sent frees the payment for another attempt', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    const failed = await storage.settlements.markFailed('p1', {
      owner: claim.owner,
      reason: 'unexpected_settle_error',
      message: 'rpc unreachable',
      sent: false,
    })
    expect(failed).toMatchObject({ state: 'failed', sent: false, reason: 'unexpected_settle_error' })
    const again = await storage.settlements.claimForSettlement('p1', details, {
      owner: 'instance-b',
      leaseMs: 1000,
    })
    expect(again).toMatchObject({
      claimed: true,
      record: { state: 'claimed', attempts: 2, reason: null, message: null, claimedBy: 'instance-b' },
    })
  })

  test('a failure after sending is final and keeps its response for retries', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    await storage.settlements.markSending('p1', { owner: claim.owner, transaction: TX })
    const reverted: SettleResponse = {
      success: false,
      errorReason: 'transaction_failed',
      transaction: TX,
      network: 'eip155:84532',
    }
    await storage.settlements.markFailed('p1', {
      reason: 'transaction_failed',
      sent: true,
      response: reverted,
    })
    const retry = await storage.settlements.claimForSettlement('p1', details, claim)
    expect(retry).toMatchObject({
      claimed: false,
      existing: { state: 'failed', sent: true, response: reverted },
    })
  })

  test('a submitted transaction that fails stays final even when the caller says nothing was sent', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    await storage.settlements.markSubmitted('p1', { transaction: TX })
    const failed = await storage.settlements.markFailed('p1', { reason: 'transaction_failed', sent: false })
    expect(failed).toMatchObject({ state: 'failed', sent: true })
    expect((await storage.settlements.claimForSettlement('p1', details, claim)).claimed).toBe(false)
  })

  test('a payer given when finishing fills an unknown payer and never replaces a known one', async () => {
    const { payer: _payer, ...withoutPayer } = details
    await storage.settlements.claimForSettlement('p1', withoutPayer, claim)
    const failed = await storage.settlements.markFailed('p1', {
      owner: claim.owner,
      reason: 'insufficient_funds',
      sent: false,
      payer: '0xPayer',
    })
    expect(failed).toMatchObject({ state: 'failed', payer: '0xPayer' })
    await storage.settlements.claimForSettlement('p1', withoutPayer, claim)
    const confirmed = await storage.settlements.markConfirmed('p1', { owner: claim.owner, payer: '0xOther' })
    expect(confirmed).toMatchObject({ state: 'confirmed', payer: '0xPayer' })
  })

  test('transitions from the wrong state change nothing', async () => {
    await storage.settlements.recordVerified('p1', details)
    expect(
      await storage.settlements.markSending('p1', { owner: claim.owner, transaction: TX }),
    ).toBeUndefined()
    expect(await storage.settlements.markConfirmed('p1', { response: confirmedResponse })).toBeUndefined()
    expect(await storage.settlements.markFailed('p1', { reason: 'x', sent: true })).toBeUndefined()
    expect(
      await storage.settlements.markConfirmed('missing', { response: confirmedResponse }),
    ).toBeUndefined()
    await storage.settlements.claimForSettlement('p1', details, claim)
    await storage.settlements.markConfirmed('p1', { transaction: TX, response: confirmedResponse })
    expect(await storage.settlements.markFailed('p1', { reason: 'late', sent: true })).toBeUndefined()
    expect(await storage.settlements.markConfirmed('p1', { transaction: '0xother' })).toBeUndefined()
    expect(await storage.settlements.get('p1')).toMatchObject({
      state: 'confirmed',
      transaction: TX,
      reason: null,
    })
  })

  test('releaseClaim returns the payment to verified for its owner only', async () => {
    await storage.settlements.claimForSettlement('p1', details, claim)
    expect(await storage.settlements.releaseClaim('p1', { owner: 'someone-else' })).toBe(false)
    expect(await storage.settlements.releaseClaim('p1', claim)).toBe(true)
    expect(await storage.settlements.get('p1')).toMatchObject({
      state: 'verified',
      claimedBy: null,
      leaseUntil: null,
    })
    expect((await storage.settlements.claimForSettlement('p1', details, claim)).claimed).toBe(true)
  })

  test('listUnfinished returns sending and submitted payments older than the threshold, oldest first', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await storage.settlements.claimForSettlement(id, details, { ...claim, owner: id })
    }
    await storage.settlements.markSending('b', { owner: 'b', transaction: '0xb' })
    fixture.clock.now += 1000
    await storage.settlements.markSubmitted('a', { owner: 'a', transaction: '0xa' })
    await storage.settlements.markSending('c', { owner: 'c', transaction: '0xc' })
    await storage.settlements.markConfirmed('c', { response: confirmedResponse })
    await storage.settlements.markFailed('d', { reason: 'x', sent: false })
    fixture.clock.now += 1000
    await storage.settlements.markSubmitted('e', { owner: 'e', transaction: '0xe' })

    const all = await storage.settlements.listUnfinished()
    expect(all.map((record) => [record.id, record.state])).toEqual([
      ['b', 'sending'],
      ['a', 'submitted'],
      ['e', 'submitted'],
    ])
    const old = await storage.settlements.listUnfinished({ olderThanMs: 1000 })
    expect(old.map((record) => record.id)).toEqual(['b', 'a'])
    expect(
      (await storage.settlements.listUnfinished({ olderThanMs: 1000, limit: 1 })).map((r) => r.id),
    ).toEqual(['b'])
  })

  test('list pages newest first, filters by state and payer, and rejects a foreign cursor', async () => {
    for (let index = 0; index < 7; index++) {
      fixture.clock.now += 10
      await storage.settlements.recordVerified(`p${index}`, {
        ...details,
        payer: index % 2 === 0 ? 'alice' : 'bob',
      })
    }
    await storage.settlements.claimForSettlement('p3', undefined, claim)

    const first = await storage.settlements.list({ limit: 3 })
    expect(first.records.map((record) => record.id)).toEqual(['p6', 'p5', 'p4'])
    const second = await storage.settlements.list({ limit: 3, cursor: first.nextCursor })
    expect(second.records.map((record) => record.id)).toEqual(['p3', 'p2', 'p1'])
    const third = await storage.settlements.list({ limit: 3, cursor: second.nextCursor })
    expect(third).toEqual({ records: [expect.objectContaining({ id: 'p0' })] })

    const alice = await storage.settlements.list({ payer: 'alice' })
    expect(alice.records.map((record) => record.id)).toEqual(['p6', 'p4', 'p2', 'p0'])
    const claimed = await storage.settlements.list({ state: 'claimed' })
    expect(claimed.records.map((record) => record.id)).toEqual(['p3'])
    await expect(storage.settlements.list({ cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/)
    await expect(storage.settlements.list({ limit: 0 })).rejects.toThrow(/limit 0/)
  })
})
