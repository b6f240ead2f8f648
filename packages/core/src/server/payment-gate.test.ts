import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createResourceServer } from './create-resource-server.js'
import { createPaymentGate, type GateVerdict, type PaymentGateOptions } from './payment-gate.js'
import type { ResourceServerHooks } from './resource-server-hooks.js'

interface Call {
  words: number
}

const perWord: PaymentGateOptions<Call> = {
  resource: (call) => `mcp://tool/count?words=${call.words}`,
  description: 'Counts words',
  accepts: {
    scheme: 'cash',
    network: CASH_NETWORK,
    price: (call: Call) => `$${call.words / 100}`,
    payTo: 'shop',
  },
}

function setup(options: { hooks?: ResourceServerHooks; down?: boolean; balance?: number } = {}) {
  const cash = cashFacilitator({ alice: options.balance ?? 1000 })
  const inner = createFacilitator({ schemes: [cash] })
  const facilitator: FacilitatorClient = {
    supported: () => (options.down ? Promise.reject(new Error('connection refused')) : inner.supported()),
    verify: (p, r) => inner.verify(p, r),
    settle: (p, r) => inner.settle(p, r),
  }
  const server = createResourceServer({
    facilitator,
    schemes: [cashServer()],
    ...(options.hooks ? { hooks: options.hooks } : {}),
  })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, server, client }
}

async function terms(gate: ReturnType<typeof createPaymentGate<Call>>, call: Call) {
  const required = await gate.required(call)
  if (required.kind !== 'required') throw new Error(`${required.reason}: ${required.message}`)
  return required.paymentRequired
}

function verified(verdict: GateVerdict) {
  if (verdict.kind !== 'verified') throw new Error(`${verdict.kind}: ${verdict.reason} ${verdict.message}`)
  return verdict
}

describe('createPaymentGate', () => {
  test('quotes the price of the call, verifies a payment for it and settles it once', async () => {
    const { cash, server, client } = setup()
    const gate = createPaymentGate(server, perWord)
    const required = await terms(gate, { words: 7 })
    expect(required).toMatchObject({
      x402Version: 2,
      error: 'Payment required',
      resource: { url: 'mcp://tool/count?words=7', description: 'Counts words' },
      accepts: [{ scheme: 'cash', amount: '7', payTo: 'shop', asset: 'USD' }],
    })

    const verdict = verified(await gate.verify({ words: 7 }, await client.createPaymentPayload(required)))
    expect(verdict.payment).toMatchObject({ payer: 'alice', requirements: { amount: '7' } })
    const [first, second] = await Promise.all([verdict.settle(), verdict.settle()])
    expect(first).toMatchObject({ kind: 'settled', response: { success: true, payer: 'alice' } })
    expect(second).toBe(first)
    expect(cash.settled).toHaveLength(1)
    expect(cash.balances.get('alice')).toBe(993n)
  })

  test('a payment quoted for a smaller call is refused with fresh terms for this one', async () => {
    const { cash, server, client } = setup()
    const gate = createPaymentGate(server, perWord)
    const payload = await client.createPaymentPayload(await terms(gate, { words: 2 }))
    const verdict = await gate.verify({ words: 50 }, payload)
    expect(verdict).toMatchObject({
      kind: 'refused',
      reason: 'payment_requirements_mismatch',
      paymentRequired: { error: 'payment_requirements_mismatch', accepts: [{ amount: '50' }] },
    })
    expect(cash.settled).toHaveLength(0)
  })

  test.each([
    ['no payment object', null, 'invalid_x402_version'],
    ['a V1 payload', { x402Version: 1, scheme: 'cash' }, 'invalid_x402_version'],
    ['a payload without accepted', { x402Version: 2, payload: {} }, 'invalid_payload'],
  ])('refuses %s with reason %s', async (_name, payment, reason) => {
    const { server } = setup()
    const verdict = await createPaymentGate(server, perWord).verify({ words: 1 }, payment)
    expect(verdict).toMatchObject({
      kind: 'refused',
      reason,
      paymentRequired: { accepts: [{ amount: '1' }] },
    })
  })

  test("the facilitator's refusal keeps its reason; a settlement failure carries the failed answer", async () => {
    const { cash, server, client } = setup({ balance: 3 })
    const gate = createPaymentGate(server, perWord)
    const poor = await gate.verify(
      { words: 5 },
      await client.createPaymentPayload(await terms(gate, { words: 5 })),
    )
    expect(poor).toMatchObject({ kind: 'refused', reason: 'insufficient_funds' })

    const ok = verified(
      await gate.verify({ words: 2 }, await client.createPaymentPayload(await terms(gate, { words: 2 }))),
    )
    cash.balances.set('alice', 0n)
    expect(await ok.settle()).toMatchObject({
      kind: 'refused',
      reason: 'insufficient_funds',
      settlement: { success: false, errorReason: 'insufficient_funds' },
    })
  })

  test('fails closed when the facilitator is unreachable or a hook throws', async () => {
    const down = setup({ down: true })
    expect(await createPaymentGate(down.server, perWord).required({ words: 1 })).toMatchObject({
      kind: 'unavailable',
      reason: 'facilitator_unavailable',
    })

    const hooks: ResourceServerHooks = {
      beforeSettle: () => {
        throw new Error('ledger offline')
      },
    }
    const { cash, server, client } = setup({ hooks })
    const gate = createPaymentGate(server, perWord)
    const verdict = verified(
      await gate.verify({ words: 1 }, await client.createPaymentPayload(await terms(gate, { words: 1 }))),
    )
    expect(await verdict.settle()).toMatchObject({ kind: 'unavailable', reason: 'before_settle_hook_error' })
    expect(cash.settled).toHaveLength(0)
  })

  test('a before-verify abort refuses with its reason, and options are checked at creation', async () => {
    const { server, client } = setup({
      hooks: { beforeVerify: () => ({ abort: { reason: 'payer_blocked', message: 'not you' } }) },
    })
    const gate = createPaymentGate(server, perWord)
    const verdict = await gate.verify(
      { words: 1 },
      await client.createPaymentPayload(await terms(gate, { words: 1 })),
    )
    expect(verdict).toMatchObject({ kind: 'refused', reason: 'payer_blocked', message: 'not you' })
    expect(() =>
      createPaymentGate(server, {
        resource: 'mcp://tool/x',
        accepts: { ...perWord.accepts, payTo: '' },
      } as never),
    ).toThrow(/payTo/)
    expect(() => createPaymentGate(server, { resource: 'mcp://tool/x', accepts: [] })).toThrow(/empty/)
  })
})
