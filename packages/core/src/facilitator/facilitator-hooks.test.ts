import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashFacilitator } from '../../test/cash-scheme.js'
import type { PaymentPayload, PaymentRequirements } from '../schemas/index.js'
import { createFacilitator, type FacilitatorHooks } from './create-facilitator.js'
import type { FacilitatorLedger } from './facilitator-ledger.js'
import { ledgerFromGuard } from './guard-ledger.js'
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

const payload: PaymentPayload = {
  x402Version: 2,
  accepted: requirements,
  payload: { from: 'alice', to: 'shop', amount: '100', nonce: 'n1' },
}

function setup(hooks: FacilitatorHooks, balance = 500) {
  const cash = cashFacilitator({ alice: balance })
  return { cash, facilitator: createFacilitator({ schemes: [cash], hooks }) }
}

const boom = () => {
  throw new Error('hook exploded')
}

describe('createFacilitator lifecycle hooks', () => {
  test('runs before and after hooks in order with the payment, the requirements and the results', async () => {
    const calls: unknown[][] = []
    const { facilitator } = setup({
      beforeVerify: (ctx) => void calls.push(['beforeVerify', ctx]),
      afterVerify: (ctx, result) => void calls.push(['afterVerify', ctx, result]),
      beforeSettle: (ctx) => void calls.push(['beforeSettle', ctx]),
      afterSettle: (ctx, result) => void calls.push(['afterSettle', ctx, result]),
      onVerifyFailure: (ctx) => void calls.push(['onVerifyFailure', ctx]),
      onSettleFailure: (ctx) => void calls.push(['onSettleFailure', ctx]),
    })
    const ctx = { payload, requirements }
    expect(await facilitator.verify(payload, requirements)).toEqual({ isValid: true, payer: 'alice' })
    const settled = await facilitator.settle(payload, requirements)
    expect(settled).toEqual({
      success: true,
      payer: 'alice',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
    })
    expect(calls).toEqual([
      ['beforeVerify', ctx],
      ['afterVerify', ctx, { isValid: true, payer: 'alice' }],
      ['beforeSettle', ctx],
      ['afterSettle', ctx, settled],
    ])
  })

  test('an abort before verify answers invalid with its reason and never asks the scheme', async () => {
    let verified = 0
    const { cash, facilitator } = setup({
      beforeVerify: () => ({ abort: { reason: 'payer_blocked', message: 'on the deny list' } }),
      afterVerify: () => void verified++,
    })
    cash.behaviour.throwOnVerify = 'the scheme must not be asked'
    expect(await facilitator.verify(payload, requirements)).toEqual({
      isValid: false,
      invalidReason: 'payer_blocked',
      invalidMessage: 'on the deny list',
    })
    expect(verified).toBe(0)
  })

  test('an abort before settle answers a failure with its reason and settles nothing', async () => {
    const { cash, facilitator } = setup({
      beforeSettle: async () => ({ abort: { reason: 'payer_blocked' } }),
    })
    expect(await facilitator.settle(payload, requirements)).toEqual({
      success: false,
      errorReason: 'payer_blocked',
      errorMessage: 'the beforeSettle hook refused this payment',
      transaction: '',
      network: CASH_NETWORK,
    })
    expect(cash.settled).toEqual([])
    expect(cash.balances.get('alice')).toBe(500n)
  })

  test.each([
    ['beforeVerify', 'before_verify_hook_error'],
    ['afterVerify', 'after_verify_hook_error'],
  ] as const)('a %s hook that throws fails verify closed with %s', async (hook, reason) => {
    const { facilitator } = setup({ [hook]: boom })
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: reason,
      invalidMessage: `the ${hook} hook failed: hook exploded`,
    })
  })

  test('a beforeSettle hook that throws answers before_settle_hook_error and settles nothing', async () => {
    const { cash, facilitator } = setup({ beforeSettle: boom })
    expect(await facilitator.settle(payload, requirements)).toEqual({
      success: false,
      errorReason: 'before_settle_hook_error',
      errorMessage: 'the beforeSettle hook failed: hook exploded',
      transaction: '',
      network: CASH_NETWORK,
    })
    expect(cash.settled).toEqual([])
    expect(cash.balances.get('alice')).toBe(500n)
  })

  test('an afterSettle hook that throws answers a failure that still names the sent transaction', async () => {
    const { cash, facilitator } = setup({ afterSettle: boom })
    expect(await facilitator.settle(payload, requirements)).toEqual({
      success: false,
      errorReason: 'after_settle_hook_error',
      errorMessage: 'the afterSettle hook failed: hook exploded',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
      payer: 'alice',
    })
    expect(cash.balances.get('alice')).toBe(400n)
  })

  test('failure hooks see the failed answer; one that throws fails closed with its own reason', async () => {
    const seen: unknown[] = []
    const { cash, facilitator } = setup(
      {
        onVerifyFailure: (_ctx, failure) => {
          seen.push(failure)
          throw new Error('no')
        },
        onSettleFailure: (_ctx, failure) => {
          seen.push(failure)
          throw new Error('no')
        },
      },
      50,
    )
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'verify_failure_hook_error',
      payer: 'alice',
    })
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      success: false,
      errorReason: 'settle_failure_hook_error',
      transaction: '',
    })
    expect(seen).toEqual([
      {
        result: {
          isValid: false,
          invalidReason: 'insufficient_funds',
          invalidMessage: 'alice has too little cash',
          payer: 'alice',
        },
      },
      {
        result: { success: false, errorReason: 'insufficient_funds', transaction: '', network: CASH_NETWORK },
      },
    ])
    expect(cash.settled).toEqual([])
  })

  test('a failure hook may recover: a pending settlement its policy accepts, then the after hook sees it', async () => {
    const after: unknown[] = []
    const { cash, facilitator } = setup({
      onSettleFailure: (_ctx, failure) =>
        failure.result?.status === 'pending'
          ? { recover: { ...failure.result, success: true, status: 'confirmed' } }
          : undefined,
      afterSettle: (_ctx, result) => void after.push(result),
    })
    cash.behaviour.settleResult = { success: true, status: 'pending' }
    const answer = await facilitator.settle(payload, requirements)
    expect(answer).toEqual({
      success: true,
      status: 'confirmed',
      payer: 'alice',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
    })
    expect(after).toEqual([answer])
  })

  test('a failure hook that returns nothing leaves the refusal as it was', async () => {
    const { facilitator } = setup({ onVerifyFailure: () => undefined }, 50)
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'insufficient_funds',
    })
  })

  test('a recovered verify that is still invalid stays a refusal and skips the after hook', async () => {
    let after = 0
    const { facilitator } = setup(
      {
        onVerifyFailure: () => ({ recover: { isValid: false, invalidReason: 'payer_blocked' } }),
        afterVerify: () => void after++,
      },
      50,
    )
    expect(await facilitator.verify(payload, requirements)).toEqual({
      isValid: false,
      invalidReason: 'payer_blocked',
    })
    expect(after).toBe(0)
  })

  test('aborts and before-hook errors are recorded as refusals in the ledger', async () => {
    const refused: unknown[] = []
    const base = ledgerFromGuard(createMemorySettlementGuard())
    const ledger: FacilitatorLedger = {
      ...base,
      recordRefused: async (_id, _details, refusal) => void refused.push(refusal),
    }
    const facilitator = createFacilitator({
      schemes: [cashFacilitator({ alice: 500 })],
      ledger,
      hooks: { beforeVerify: () => ({ abort: { reason: 'payer_blocked' } }), beforeSettle: boom },
    })
    await facilitator.verify(payload, requirements)
    await facilitator.settle(payload, requirements)
    expect(refused).toEqual([
      { stage: 'verify', reason: 'payer_blocked', message: 'the beforeVerify hook refused this payment' },
      {
        stage: 'settle',
        reason: 'before_settle_hook_error',
        message: 'the beforeSettle hook failed: hook exploded',
      },
    ])
  })
})
