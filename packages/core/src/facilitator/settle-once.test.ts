import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, type CashFacilitator, cashFacilitator } from '../../test/cash-scheme.js'
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '../schemas/index.js'
import type { ReconcileTarget, SchemeFacilitator } from '../schemes/types.js'
import { createFacilitator } from './create-facilitator.js'
import type {
  FacilitatorLedger,
  LedgerEntry,
  LedgerRefusal,
  SettlementLedgerDetails,
} from './facilitator-ledger.js'
import { paymentId } from './payment-id.js'

const requirements: PaymentRequirements = {
  scheme: 'cash',
  network: CASH_NETWORK,
  amount: '100',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: {},
}
const payment = (nonce = 'n1'): PaymentPayload => ({
  x402Version: 2,
  accepted: requirements,
  payload: { from: 'alice', to: 'shop', amount: '100', nonce },
})

type Row = LedgerEntry & { details?: SettlementLedgerDetails; raw?: string; sent?: boolean }

/** A ledger in a Map with the storage ledger's rules, and a switch that makes it unreachable. */
function mapLedger() {
  const rows = new Map<string, Row>()
  const refusals: { id: string; details: SettlementLedgerDetails; refusal: LedgerRefusal }[] = []
  const state = { down: false, sendingCalls: 0 }
  const reach = () => {
    if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
  }
  const ledger: Required<FacilitatorLedger> = {
    async recordVerified(id, details) {
      reach()
      if (!rows.has(id)) rows.set(id, { id, state: 'verified', details })
    },
    async recordRefused(id, details, refusal) {
      reach()
      refusals.push({ id, details, refusal })
    },
    async begin(id, details) {
      reach()
      const row = rows.get(id)
      if (row && !(row.state === 'verified' || (row.state === 'failed' && !row.sent))) {
        return { claimed: false, entry: { ...row } }
      }
      rows.set(id, { id, state: 'claimed', details })
      return { claimed: true, ticket: { id } }
    },
    async sending(ticket, tx) {
      state.sendingCalls++
      reach()
      const row = rows.get(ticket.id)
      if (row?.state !== 'claimed') return false
      Object.assign(row, { state: 'sending', transaction: tx.transaction, raw: tx.raw })
      return true
    },
    async finish(ticket, response, { sent }) {
      reach()
      const row = rows.get(ticket.id) as Row
      const next = response.success ? 'confirmed' : response.status === 'pending' ? 'submitted' : 'failed'
      Object.assign(row, { state: next, response, sent, transaction: response.transaction })
    },
    async unfinished() {
      return [...rows.values()]
        .filter((row) => row.state === 'sending' || row.state === 'submitted')
        .map((row) => ({
          id: row.id,
          scheme: row.details?.scheme ?? '',
          network: row.details?.network ?? '',
          transaction: row.transaction ?? '',
          ...(row.raw === undefined ? {} : { raw: row.raw }),
        }))
    },
    async complete(id, response) {
      const row = rows.get(id) as Row
      Object.assign(row, { state: response.success ? 'confirmed' : 'failed', response, sent: true })
      return true
    },
  }
  return { ledger, rows, refusals, state }
}

/** The cash scheme, recording its transaction through `beforeBroadcast` as a chain scheme does. */
function broadcastingCash(balances: Record<string, number>) {
  const cash = cashFacilitator(balances)
  const broadcasts: string[] = []
  const reconciled: ReconcileTarget[] = []
  let reconcileState: 'confirmed' | 'failed' | 'unknown' = 'unknown'
  let crashAfterBroadcast = false
  const scheme: SchemeFacilitator & { cash: CashFacilitator } = {
    ...cash,
    cash,
    async settle(payload, reqs, context) {
      const tx = `cash-signed-${(payload.payload as { nonce: string }).nonce}`
      const check = await cash.verify(payload, reqs)
      if (!check.isValid) {
        return {
          success: false,
          errorReason: check.invalidReason ?? 'invalid_payload',
          ...(check.invalidMessage === undefined ? {} : { errorMessage: check.invalidMessage }),
          transaction: '',
          network: reqs.network,
          ...(check.payer === undefined ? {} : { payer: check.payer }),
        }
      }
      if (
        context?.beforeBroadcast &&
        !(await context.beforeBroadcast({ transaction: tx, raw: 'raw-bytes' }))
      ) {
        return { success: false, errorReason: 'duplicate_settlement', transaction: '', network: reqs.network }
      }
      broadcasts.push(tx)
      if (crashAfterBroadcast) throw new Error('socket hang up')
      const result = await cash.settle(payload, reqs)
      return { ...result, transaction: tx }
    },
    async reconcile(target) {
      reconciled.push(target)
      return { state: reconcileState }
    },
  }
  return {
    scheme,
    broadcasts,
    reconciled,
    setReconcile: (state: typeof reconcileState) => {
      reconcileState = state
    },
    crash: (on: boolean) => {
      crashAfterBroadcast = on
    },
  }
}

describe('createFacilitator with a ledger', () => {
  test('answers a retry of a settled payment with the original answer and broadcasts once', async () => {
    const { ledger } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 500 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const id = await paymentId(payment())
    const first = await facilitator.settle(payment(), requirements)
    const retry = await facilitator.settle(payment(), requirements)
    expect(first).toEqual({
      success: true,
      payer: 'alice',
      transaction: 'cash-signed-n1',
      network: CASH_NETWORK,
      extensions: { 'open402-settlement': { id } },
    })
    expect(retry).toEqual(first)
    expect(broadcasts).toEqual(['cash-signed-n1'])
  })

  test('settles concurrent duplicates once and tells the others it is in flight', async () => {
    const { ledger } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 500 })
    scheme.cash.behaviour.settleDelayMs = 20
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const results = await Promise.all([1, 2, 3].map(() => facilitator.settle(payment(), requirements)))
    expect(results.filter((result) => result.success)).toHaveLength(1)
    expect(results.filter((result) => !result.success).map((result) => result.errorReason)).toEqual([
      'settlement_pending',
      'settlement_pending',
    ])
    expect(results.filter((result) => !result.success).map((result) => result.transaction)).toEqual([
      'cash-signed-n1',
      'cash-signed-n1',
    ])
    expect(broadcasts).toHaveLength(1)
  })

  test('records a valid verify with its payer', async () => {
    const { ledger, rows } = mapLedger()
    const facilitator = createFacilitator({ schemes: [broadcastingCash({ alice: 500 }).scheme], ledger })
    expect(await facilitator.verify(payment(), requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(rows.get(await paymentId(payment()))).toMatchObject({
      state: 'verified',
      details: {
        scheme: 'cash',
        network: CASH_NETWORK,
        amount: '100',
        asset: 'USD',
        payTo: 'shop',
        payer: 'alice',
      },
    })
  })

  test('refuses verify and settle with ledger_unavailable when the ledger is down, and sends nothing', async () => {
    const { ledger, state } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 500 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    state.down = true
    expect(await facilitator.verify(payment(), requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'ledger_unavailable',
    })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: false,
      errorReason: 'ledger_unavailable',
      transaction: '',
    })
    expect(broadcasts).toEqual([])
    state.down = false
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
  })

  test('does not broadcast when the ledger fails between the claim and the broadcast', async () => {
    const { ledger, state, rows } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 500 })
    const begin = ledger.begin
    ledger.begin = async (id, details) => {
      const result = await begin(id, details)
      state.down = true
      return result
    }
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: false,
      errorReason: 'ledger_unavailable',
    })
    expect(broadcasts).toEqual([])
    expect(state.sendingCalls).toBe(1)
    expect(rows.get(await paymentId(payment()))?.state).toBe('claimed')
  })

  test('answers pending with the transaction when the scheme throws after the broadcast', async () => {
    const { ledger, rows } = mapLedger()
    const { scheme, crash } = broadcastingCash({ alice: 500 })
    crash(true)
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const answer = await facilitator.settle(payment(), requirements)
    expect(answer).toMatchObject({
      success: false,
      errorReason: 'settlement_pending',
      status: 'pending',
      transaction: 'cash-signed-n1',
    })
    expect(rows.get(await paymentId(payment()))?.state).toBe('submitted')
  })

  test('reconcile finishes an unfinished payment with what the scheme finds on chain', async () => {
    const { ledger, rows } = mapLedger()
    const { scheme, crash, reconciled, setReconcile } = broadcastingCash({ alice: 500 })
    crash(true)
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    await facilitator.settle(payment(), requirements)
    const id = await paymentId(payment())
    expect(await facilitator.reconcile()).toEqual({ checked: 1, confirmed: 0, failed: 0, unknown: 1 })
    setReconcile('confirmed')
    expect(await facilitator.reconcile()).toEqual({ checked: 1, confirmed: 1, failed: 0, unknown: 0 })
    expect(reconciled[0]).toEqual({ network: CASH_NETWORK, transaction: 'cash-signed-n1', raw: 'raw-bytes' })
    const expected: SettleResponse = {
      success: true,
      transaction: 'cash-signed-n1',
      network: CASH_NETWORK,
      status: 'confirmed',
      extensions: { 'open402-settlement': { id } },
    }
    expect(rows.get(id)).toMatchObject({ state: 'confirmed', response: expected })
    expect(await facilitator.settle(payment(), requirements)).toEqual(expected)
    expect(await facilitator.reconcile()).toEqual({ checked: 0, confirmed: 0, failed: 0, unknown: 0 })
  })

  test('lets a payment that failed before anything was sent be settled again', async () => {
    const { ledger } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 50 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: false })
    scheme.cash.balances.set('alice', 500n)
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    expect(broadcasts).toEqual(['cash-signed-n1'])
  })
})

describe('createFacilitator records refusals in its ledger', () => {
  const cashDetails = { scheme: 'cash', network: CASH_NETWORK, amount: '100', asset: 'USD', payTo: 'shop' }

  test('records a verify refusal with its reason, message and payer, and leaves the payment claimable', async () => {
    const { ledger, rows, refusals } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 50 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const id = await paymentId(payment())
    expect(await facilitator.verify(payment(), requirements)).toEqual({
      isValid: false,
      invalidReason: 'insufficient_funds',
      invalidMessage: 'alice has too little cash',
      payer: 'alice',
    })
    expect(refusals).toEqual([
      {
        id,
        details: { ...cashDetails, payer: 'alice' },
        refusal: { stage: 'verify', reason: 'insufficient_funds', message: 'alice has too little cash' },
      },
    ])
    expect(rows.has(id)).toBe(false)
    scheme.cash.balances.set('alice', 500n)
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    expect(broadcasts).toEqual(['cash-signed-n1'])
    expect(rows.get(id)?.state).toBe('confirmed')
  })

  test('records refusals made before the scheme is asked, and a scheme exception, on verify', async () => {
    const { ledger, refusals } = mapLedger()
    const { scheme } = broadcastingCash({ alice: 500 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const other = { ...requirements, network: 'cash:other' as const }
    const mismatched = await facilitator.verify(payment(), other)
    expect(mismatched).toMatchObject({ isValid: false, invalidReason: 'invalid_network' })
    scheme.cash.behaviour.throwOnVerify = 'rpc down'
    expect(await facilitator.verify(payment('n2'), requirements)).toMatchObject({
      invalidReason: 'unexpected_verify_error',
    })
    expect(refusals.map((item) => item.refusal)).toEqual([
      { stage: 'verify', reason: 'invalid_network', message: mismatched.invalidMessage },
      { stage: 'verify', reason: 'unexpected_verify_error', message: 'rpc down' },
    ])
    expect(refusals.map((item) => item.id)).toEqual([
      await paymentId(payment()),
      await paymentId(payment('n2')),
    ])
  })

  test('records a settle whose re-verify fails as failed with nothing sent, and as a refusal', async () => {
    const { ledger, rows, refusals } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 50 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    const id = await paymentId(payment())
    const refused = await facilitator.settle(payment(), requirements)
    expect(refused).toEqual({
      success: false,
      errorReason: 'insufficient_funds',
      errorMessage: 'alice has too little cash',
      transaction: '',
      network: CASH_NETWORK,
      payer: 'alice',
      extensions: { 'open402-settlement': { id } },
    })
    expect(rows.get(id)).toMatchObject({ state: 'failed', sent: false, response: refused })
    expect(refusals).toEqual([
      {
        id,
        details: { ...cashDetails, payer: 'alice' },
        refusal: { stage: 'settle', reason: 'insufficient_funds', message: 'alice has too little cash' },
      },
    ])
    scheme.cash.balances.set('alice', 500n)
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    expect(broadcasts).toEqual(['cash-signed-n1'])
    expect(refusals).toHaveLength(1)
  })

  test('records a settle refused before the claim without creating a ledger row', async () => {
    const { ledger, rows, refusals } = mapLedger()
    const facilitator = createFacilitator({ schemes: [broadcastingCash({ alice: 500 }).scheme], ledger })
    const answer = await facilitator.settle(payment(), { ...requirements, scheme: 'card' })
    expect(answer).toMatchObject({ success: false, errorReason: 'invalid_scheme', transaction: '' })
    expect(refusals).toEqual([
      {
        id: await paymentId(payment()),
        details: { ...cashDetails, scheme: 'card' },
        refusal: { stage: 'settle', reason: 'invalid_scheme', message: answer.errorMessage },
      },
    ])
    expect(rows.size).toBe(0)
  })

  test('a refusal of a settled payment leaves its state and answer as they were', async () => {
    const { ledger, rows, refusals } = mapLedger()
    const facilitator = createFacilitator({ schemes: [broadcastingCash({ alice: 500 }).scheme], ledger })
    const first = await facilitator.settle(payment(), requirements)
    expect(await facilitator.verify(payment(), requirements)).toMatchObject({
      invalidReason: 'invalid_transaction_state',
    })
    expect(refusals.map((item) => item.refusal.reason)).toEqual(['invalid_transaction_state'])
    expect(rows.get(await paymentId(payment()))).toMatchObject({ state: 'confirmed', response: first })
    expect(await facilitator.settle(payment(), requirements)).toEqual(first)
  })

  test('answers ledger_unavailable, keeping the refusal in the message, when a refusal cannot be recorded', async () => {
    const { ledger, state, refusals } = mapLedger()
    const { scheme, broadcasts } = broadcastingCash({ alice: 50 })
    const facilitator = createFacilitator({ schemes: [scheme], ledger })
    state.down = true
    const verify = await facilitator.verify(payment(), requirements)
    expect(verify).toEqual({
      isValid: false,
      invalidReason: 'ledger_unavailable',
      invalidMessage:
        'the settlement ledger is unavailable: connect ECONNREFUSED 127.0.0.1:5432; the payment was also refused (insufficient_funds: alice has too little cash)',
      payer: 'alice',
    })
    const settle = await facilitator.settle(payment(), { ...requirements, scheme: 'card' })
    expect(settle).toMatchObject({ success: false, errorReason: 'ledger_unavailable', transaction: '' })
    expect(settle.errorMessage).toContain('nothing was sent')
    expect(settle.errorMessage).toContain('invalid_scheme')
    expect(refusals).toEqual([])
    expect(broadcasts).toEqual([])
  })
})

describe('createFacilitator without a ledger', () => {
  test('answers refusals without recording anything', async () => {
    const { scheme } = broadcastingCash({ alice: 50 })
    const facilitator = createFacilitator({ schemes: [scheme] })
    expect(await facilitator.verify(payment(), requirements)).toEqual({
      isValid: false,
      invalidReason: 'insufficient_funds',
      invalidMessage: 'alice has too little cash',
      payer: 'alice',
    })
    expect(await facilitator.settle(payment(), { ...requirements, scheme: 'card' })).toEqual({
      success: false,
      errorReason: 'invalid_scheme',
      errorMessage: 'payment is for scheme cash, required card',
      transaction: '',
      network: CASH_NETWORK,
    })
  })
})
