import {
  createFacilitator,
  type Facilitator,
  type PaymentPayload,
  type PaymentRequirements,
  paymentId,
  type SchemeFacilitator,
  type SettleResponse,
} from '@open402/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createLedgerSettlementGuard } from '../src/settlements/ledger-settlement-guard.js'
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
const payload: PaymentPayload = {
  x402Version: 2,
  accepted: requirements,
  payload: { from: 'alice', nonce: '1' },
}

/** A scheme that counts settlements, answers after a short delay, and fails while `failing` is set. */
function countingScheme() {
  const state = { settlements: 0, failing: false }
  const scheme: SchemeFacilitator = {
    scheme: 'ledger-test',
    network: 'test:1',
    kinds: () => [{ x402Version: 2, scheme: 'ledger-test', network: 'test:1' }],
    signers: () => ({}),
    verify: async () => ({ isValid: true, payer: 'alice' }),
    async settle(): Promise<SettleResponse> {
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (state.failing) {
        return { success: false, errorReason: 'transaction_failed', transaction: '', network: 'test:1' }
      }
      state.settlements += 1
      return { success: true, transaction: `tx-${state.settlements}`, network: 'test:1', payer: 'alice' }
    },
  }
  return { scheme, state }
}

describe.each(ENGINES)('ledger settlement guard on %s', (engine) => {
  let fixture: EngineFixture
  let instances: [Storage, Storage]
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    instances = [fixture.open(), fixture.open()]
    await instances[0].migrate()
  })
  afterEach(() => fixture.cleanup())

  test('two facilitators sharing the database settle a payment once', async () => {
    const { scheme, state } = countingScheme()
    const facilitators = instances.map((storage) =>
      createFacilitator({ schemes: [scheme], guard: createLedgerSettlementGuard(storage) }),
    ) as [Facilitator, Facilitator]
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        facilitators[index % 2 === 0 ? 0 : 1].settle(payload, requirements),
      ),
    )
    expect(state.settlements).toBe(1)
    expect(results.filter((result) => result.success)).toHaveLength(1)
    expect(results.filter((result) => result.errorReason === 'duplicate_settlement')).toHaveLength(9)
    const record = await instances[1].settlements.get(await paymentId(payload))
    expect(record).toMatchObject({ state: 'confirmed', sent: true })
  })

  test('a failed settlement is released so a retry can settle it', async () => {
    const { scheme, state } = countingScheme()
    const facilitator = createFacilitator({
      schemes: [scheme],
      guard: createLedgerSettlementGuard(instances[0]),
    })
    state.failing = true
    expect(await facilitator.settle(payload, requirements)).toMatchObject({ success: false })
    expect(await instances[0].settlements.get(await paymentId(payload))).toMatchObject({ state: 'verified' })
    state.failing = false
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      success: true,
      transaction: 'tx-1',
    })
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      errorReason: 'duplicate_settlement',
    })
  })
})
