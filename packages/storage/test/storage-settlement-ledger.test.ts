import {
  createFacilitator,
  type PaymentPayload,
  type PaymentRequirements,
  paymentId,
  type SchemeFacilitator,
  type SettleResponse,
} from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createStorageSettlementLedger } from '../src/settlements/storage-settlement-ledger.js'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const requirements: PaymentRequirements = {
  scheme: 'ledger-test',
  network: 'test:1',
  amount: '100',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: {},
}
const payment = (nonce = '1'): PaymentPayload => ({
  x402Version: 2,
  accepted: requirements,
  payload: { from: 'alice', nonce },
})

/**
 * A scheme that records its transaction before "broadcasting" as chain schemes do, counts broadcasts,
 * and can stop right after the broadcast (as if the process died) or fail before sending.
 */
function recordingScheme() {
  const state = {
    broadcasts: [] as string[],
    failBeforeSending: false,
    chain: 'unknown' as 'confirmed' | 'unknown',
    /** Makes verify and the re-verify in settle refuse the payment. */
    refuse: undefined as { reason: string; message: string } | undefined,
  }
  const scheme: SchemeFacilitator = {
    scheme: 'ledger-test',
    network: 'test:1',
    kinds: () => [{ x402Version: 2, scheme: 'ledger-test', network: 'test:1' }],
    signers: () => ({}),
    verify: async () =>
      state.refuse
        ? {
            isValid: false,
            invalidReason: state.refuse.reason,
            invalidMessage: state.refuse.message,
            payer: 'alice',
          }
        : { isValid: true, payer: 'alice' },
    async settle(payload, _requirements, context): Promise<SettleResponse> {
      if (state.refuse) {
        const { reason, message } = state.refuse
        return {
          success: false,
          errorReason: reason,
          errorMessage: message,
          transaction: '',
          network: 'test:1',
          payer: 'alice',
          status: 'failed',
        }
      }
      if (state.failBeforeSending) {
        return { success: false, errorReason: 'insufficient_funds', transaction: '', network: 'test:1' }
      }
      const transaction = `tx-${(payload.payload as { nonce: string }).nonce}`
      if (!(await context?.beforeBroadcast?.({ transaction, raw: `raw-${transaction}`, signer: 'vault' }))) {
        return { success: false, errorReason: 'duplicate_settlement', transaction: '', network: 'test:1' }
      }
      state.broadcasts.push(transaction)
      await new Promise((resolve) => setTimeout(resolve, 30))
      return { success: true, transaction, network: 'test:1', payer: 'alice', status: 'confirmed' }
    },
    async reconcile() {
      return { state: state.chain }
    },
  }
  return { scheme, state }
}

describe.each(ENGINES)('storage settlement ledger on %s', (engine) => {
  let fixture: EngineFixture
  let instances: [Storage, Storage]
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    instances = [fixture.open(), fixture.open()]
    await instances[0].migrate()
  })
  afterEach(() => fixture.cleanup())

  test('two facilitators sharing the database broadcast a payment once and agree on its transaction', async () => {
    const { scheme, state } = recordingScheme()
    const facilitators = instances.map((storage) =>
      createFacilitator({ schemes: [scheme], ledger: createStorageSettlementLedger(storage) }),
    )
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (facilitators[index % 2] ?? facilitators[0])?.settle(payment(), requirements),
      ),
    )
    expect(state.broadcasts).toEqual(['tx-1'])
    // The first claim answers success; a duplicate that arrives once the payment is confirmed is a retry and
    // gets the same answer (same transaction); one still in flight is refused. Never a second transaction.
    const successes = results.filter((result) => result?.success)
    expect(successes.length).toBeGreaterThanOrEqual(1)
    for (const success of successes) expect(success?.transaction).toBe('tx-1')
    for (const result of results) {
      if (result?.success) continue
      expect(['duplicate_settlement', 'settlement_pending']).toContain(result?.errorReason)
      if (result?.errorReason === 'settlement_pending') expect(result.transaction).toBe('tx-1')
    }
    const record = await instances[1].settlements.get(await paymentId(payment()))
    expect(record).toMatchObject({
      state: 'confirmed',
      sent: true,
      transaction: 'tx-1',
      rawTransaction: 'raw-tx-1',
    })
  })

  test('a retry, on either instance, gets the original answer', async () => {
    const { scheme, state } = recordingScheme()
    const [first, second] = instances.map((storage) =>
      createFacilitator({ schemes: [scheme], ledger: createStorageSettlementLedger(storage) }),
    )
    const id = await paymentId(payment())
    const original = await first?.settle(payment(), requirements)
    expect(original).toEqual({
      success: true,
      transaction: 'tx-1',
      network: 'test:1',
      payer: 'alice',
      status: 'confirmed',
      extensions: { 'open402-settlement': { id } },
    })
    expect(await first?.settle(payment(), requirements)).toEqual(original)
    expect(await second?.settle(payment(), requirements)).toEqual(original)
    expect(state.broadcasts).toEqual(['tx-1'])
    expect(await instances[0].settlements.get(id)).toMatchObject({
      state: 'confirmed',
      scheme: 'ledger-test',
      network: 'test:1',
      amount: '100',
      asset: 'USD',
      payTo: 'shop',
      signer: 'vault',
      response: original,
    })
  })

  test('records a valid verify with the payer', async () => {
    const { scheme } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    expect(await facilitator.verify(payment(), requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(await instances[1].settlements.get(await paymentId(payment()))).toMatchObject({
      state: 'verified',
      payer: 'alice',
      amount: '100',
    })
  })

  test('a failure before anything was sent is recorded and a retry can settle', async () => {
    const { scheme, state } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    state.failBeforeSending = true
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      errorReason: 'insufficient_funds',
    })
    const id = await paymentId(payment())
    expect(await instances[0].settlements.get(id)).toMatchObject({
      state: 'failed',
      sent: false,
      reason: 'insufficient_funds',
    })
    state.failBeforeSending = false
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: true,
      transaction: 'tx-1',
    })
    expect(await instances[0].settlements.get(id)).toMatchObject({ state: 'confirmed', attempts: 2 })
  })

  test('reconcile confirms a payment whose process died after the broadcast', async () => {
    const { scheme, state } = recordingScheme()
    const ledger = createStorageSettlementLedger(instances[0])
    const id = await paymentId(payment())
    // The dead process: claimed, recorded the transaction, broadcast it, and never finished.
    const begun = await ledger.begin(id, {
      scheme: 'ledger-test',
      network: 'test:1',
      asset: 'USD',
      amount: '100',
      payTo: 'shop',
    })
    if (!begun.claimed) throw new Error('expected a claim')
    expect(await ledger.sending(begun.ticket, { transaction: 'tx-1', raw: 'raw-tx-1' })).toBe(true)

    const restarted = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[1]),
    })
    expect(await restarted.settle(payment(), requirements)).toMatchObject({
      errorReason: 'settlement_pending',
      transaction: 'tx-1',
      status: 'pending',
    })
    expect(await restarted.reconcile()).toEqual({ checked: 1, confirmed: 0, failed: 0, unknown: 1 })
    state.chain = 'confirmed'
    expect(await restarted.reconcile()).toEqual({ checked: 1, confirmed: 1, failed: 0, unknown: 0 })
    expect(await restarted.settle(payment(), requirements)).toMatchObject({
      success: true,
      transaction: 'tx-1',
    })
    expect(state.broadcasts).toEqual([])
    expect(await instances[0].settlements.get(id)).toMatchObject({ state: 'confirmed', transaction: 'tx-1' })
  })

  test('records a refused verify in the history with its reason, and a later settle goes through', async () => {
    const { scheme, state } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    const id = await paymentId(payment())
    state.refuse = { reason: 'insufficient_funds', message: 'alice holds 5, needs 100' }
    expect(await facilitator.verify(payment(), requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'insufficient_funds',
    })
    expect(await instances[1].settlements.get(id)).toBeUndefined()
    expect(await instances[1].verifications.lastRefusal(id)).toMatchObject({
      paymentId: id,
      stage: 'verify',
      result: 'refused',
      reason: 'insufficient_funds',
      message: 'alice holds 5, needs 100',
      payer: 'alice',
      scheme: 'ledger-test',
      network: 'test:1',
      amount: '100',
      asset: 'USD',
      payTo: 'shop',
    })
    state.refuse = undefined
    expect(await facilitator.verify(payment(), requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    expect(await instances[1].settlements.get(id)).toMatchObject({ state: 'confirmed', payer: 'alice' })
    const history = await instances[1].verifications.list({ paymentId: id })
    expect(history.records.map((record) => [record.stage, record.result, record.reason])).toEqual([
      ['verify', 'valid', null],
      ['verify', 'refused', 'insufficient_funds'],
    ])
  })

  test('records a settle whose re-verify fails as failed, nothing sent, with reason and payer; a retry settles', async () => {
    const { scheme, state } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    const id = await paymentId(payment())
    state.refuse = { reason: 'invalid_exact_evm_payload_signature', message: 'signature does not recover' }
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: false,
      errorReason: 'invalid_exact_evm_payload_signature',
      transaction: '',
    })
    expect(await instances[1].settlements.get(id)).toMatchObject({
      state: 'failed',
      sent: false,
      reason: 'invalid_exact_evm_payload_signature',
      message: 'signature does not recover',
      payer: 'alice',
    })
    expect(await instances[1].verifications.lastRefusal(id)).toMatchObject({
      stage: 'settle',
      reason: 'invalid_exact_evm_payload_signature',
      payer: 'alice',
    })
    state.refuse = undefined
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    expect(state.broadcasts).toEqual(['tx-1'])
    expect(await instances[1].settlements.get(id)).toMatchObject({
      state: 'confirmed',
      attempts: 2,
      reason: null,
    })
    // The settlement row moved on; the history keeps why the first attempt was refused.
    expect((await instances[1].verifications.lastRefusal(id))?.reason).toBe(
      'invalid_exact_evm_payload_signature',
    )
  })

  test('a refusal after the payment settled leaves the settlement and its answer unchanged', async () => {
    const { scheme, state } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    const id = await paymentId(payment())
    const original = await facilitator.settle(payment(), requirements)
    const before = await instances[0].settlements.get(id)
    state.refuse = { reason: 'invalid_transaction_state', message: 'nonce already used' }
    expect(await facilitator.verify(payment(), requirements)).toMatchObject({
      invalidReason: 'invalid_transaction_state',
    })
    expect(await instances[0].settlements.get(id)).toEqual(before)
    expect(await facilitator.settle(payment(), requirements)).toEqual(original)
    expect((await instances[0].verifications.list({ paymentId: id })).records).toHaveLength(1)
  })

  test('answers ledger_unavailable when a refusal cannot be recorded, keeping its reason in the message', async () => {
    const { scheme, state } = recordingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      ledger: createStorageSettlementLedger(instances[0]),
    })
    state.refuse = { reason: 'insufficient_funds', message: 'alice holds 5, needs 100' }
    await instances[0].close()
    const answer = await facilitator.verify(payment(), requirements)
    expect(answer).toMatchObject({ isValid: false, invalidReason: 'ledger_unavailable', payer: 'alice' })
    expect(answer.invalidMessage).toContain('insufficient_funds: alice holds 5, needs 100')
    expect((await instances[1].verifications.list()).records).toEqual([])
  })
})
