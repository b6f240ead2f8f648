import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashFacilitator } from '../../test/cash-scheme.js'
import type { PaymentPayload, PaymentRequirements } from '../schemas/index.js'
import { createFacilitator } from './create-facilitator.js'
import { createMemorySettlementGuard } from './settlement-guard.js'

const requirements: PaymentRequirements = {
  scheme: 'cash',
  network: CASH_NETWORK,
  amount: '100',
  asset: 'USD',
  payTo: 'shop',
  maxTimeoutSeconds: 60,
  extra: {},
}

function payment(overrides: Partial<PaymentPayload> = {}, nonce = 'n1'): PaymentPayload {
  return {
    x402Version: 2,
    accepted: requirements,
    payload: { from: 'alice', to: 'shop', amount: '100', nonce },
    ...overrides,
  }
}

describe('createFacilitator verify', () => {
  test('dispatches to the scheme registered for (scheme, network)', async () => {
    const facilitator = createFacilitator({ schemes: [cashFacilitator({ alice: 500 })] })
    expect(await facilitator.verify(payment(), requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(await facilitator.verify(payment(), { ...requirements, amount: '1000' })).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_payload',
    })
  })

  test('prefers the part registered on the exact network over a pattern', async () => {
    const family = cashFacilitator({ alice: 500 })
    const exact = cashFacilitator({}, CASH_NETWORK)
    const facilitator = createFacilitator({ schemes: [family, exact] })
    expect(await facilitator.verify(payment(), requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'insufficient_funds',
    })
  })

  test.each([
    ['a wrong version', payment({ x402Version: 1 as 2 }), requirements, 'invalid_x402_version'],
    [
      'a null accepted',
      payment({ accepted: null as unknown as PaymentRequirements }),
      requirements,
      'invalid_payload',
    ],
    [
      'another scheme',
      payment({ accepted: { ...requirements, scheme: 'exact' } }),
      requirements,
      'invalid_scheme',
    ],
    [
      'another network',
      payment({ accepted: { ...requirements, network: 'cash:other' } }),
      requirements,
      'invalid_network',
    ],
    [
      'an unregistered scheme',
      payment({ accepted: { ...requirements, scheme: 'exact' } }),
      { ...requirements, scheme: 'exact' },
      'unsupported_scheme',
    ],
    [
      'a registered scheme on another namespace',
      payment({ accepted: { ...requirements, network: 'eip155:1' } }),
      { ...requirements, network: 'eip155:1' as const },
      'invalid_network',
    ],
  ])('refuses %s without throwing', async (_name, payload, reqs, reason) => {
    const facilitator = createFacilitator({ schemes: [cashFacilitator({ alice: 500 })] })
    const verify = await facilitator.verify(payload, reqs)
    expect(verify).toMatchObject({ isValid: false, invalidReason: reason })
    const settle = await facilitator.settle(payload, reqs)
    expect(settle).toMatchObject({
      success: false,
      errorReason: reason,
      transaction: '',
      network: reqs.network,
    })
  })

  test('turns a scheme exception into unexpected_verify_error with the message and no stack', async () => {
    const cash = cashFacilitator({ alice: 500 })
    cash.behaviour.throwOnVerify = 'rpc down\n    at foo (bar.js:1:1)'
    const facilitator = createFacilitator({ schemes: [cash] })
    expect(await facilitator.verify(payment(), requirements)).toEqual({
      isValid: false,
      invalidReason: 'unexpected_verify_error',
      invalidMessage: 'rpc down',
    })
  })
})

describe('createFacilitator settle', () => {
  test('settles and moves the balance', async () => {
    const cash = cashFacilitator({ alice: 500 })
    const facilitator = createFacilitator({ schemes: [cash] })
    expect(await facilitator.settle(payment(), requirements)).toEqual({
      success: true,
      payer: 'alice',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
    })
    expect(cash.balances.get('alice')).toBe(400n)
  })

  test('settles concurrent duplicates once', async () => {
    const cash = cashFacilitator({ alice: 500 })
    cash.behaviour.settleDelayMs = 20
    const facilitator = createFacilitator({ schemes: [cash] })
    const results = await Promise.all([1, 2, 3].map(() => facilitator.settle(payment(), requirements)))
    expect(results.filter((r) => r.success)).toHaveLength(1)
    expect(results.filter((r) => r.errorReason === 'duplicate_settlement')).toHaveLength(2)
    expect(cash.settled).toHaveLength(1)
    expect(cash.balances.get('alice')).toBe(400n)
  })

  test('refuses a payment settled before, even re-encoded with another key order', async () => {
    const cash = cashFacilitator({ alice: 500 })
    const facilitator = createFacilitator({ schemes: [cash] })
    await facilitator.settle(payment(), requirements)
    const reordered = {
      payload: { nonce: 'n1', amount: '100', to: 'shop', from: 'alice' },
      accepted: requirements,
      x402Version: 2,
    }
    expect(await facilitator.settle(reordered as PaymentPayload, requirements)).toMatchObject({
      success: false,
      errorReason: 'duplicate_settlement',
    })
  })

  test('allows a retry after a failed settlement and after the window', async () => {
    let time = 0
    const cash = cashFacilitator({ alice: 500 })
    const facilitator = createFacilitator({
      schemes: [cash],
      guard: createMemorySettlementGuard({ now: () => time }),
    })
    cash.behaviour.throwOnSettle = 'boom'
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: false,
      errorReason: 'unexpected_settle_error',
      errorMessage: 'boom',
    })
    cash.behaviour.throwOnSettle = undefined
    cash.behaviour.settleResult = { status: 'confirmed' }
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({ success: true })
    time += 10 * 60_000 - 1
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      errorReason: 'duplicate_settlement',
    })
    time += 2
    // The window is over: the scheme decides again (here: the nonce is spent).
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      success: false,
      errorReason: 'invalid_transaction_state',
    })
  })

  test('keeps a pending settlement blocked', async () => {
    const cash = cashFacilitator({ alice: 500 })
    cash.behaviour.settleResult = { success: false, status: 'pending', errorReason: 'settlement_pending' }
    const facilitator = createFacilitator({ schemes: [cash] })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      status: 'pending',
      transaction: 'cash-tx-1',
    })
    expect(await facilitator.settle(payment(), requirements)).toMatchObject({
      errorReason: 'duplicate_settlement',
    })
  })
})

describe('createFacilitator supported', () => {
  test('merges kinds, extensions and signers of every scheme', async () => {
    const a = cashFacilitator()
    const b = {
      ...cashFacilitator(),
      network: 'cash:other' as const,
      kinds: () => [{ x402Version: 2, scheme: 'cash', network: 'cash:other' as const }],
      signers: () => ({ 'cash:*': ['vault', 'vault2'] }),
    }
    const facilitator = createFacilitator({ schemes: [a, b] })
    expect(await facilitator.supported()).toEqual({
      kinds: [
        { x402Version: 2, scheme: 'cash', network: CASH_NETWORK, extra: { vault: 'v1' } },
        { x402Version: 2, scheme: 'cash', network: 'cash:other' },
      ],
      extensions: ['bazaar'],
      signers: { 'cash:*': ['vault', 'vault2'] },
    })
  })
})
