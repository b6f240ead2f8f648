import { createFacilitator } from '@open402/core'
import { expect, test } from 'vitest'
import type { ConformanceContext } from '../conformance-context.js'
import { expectSettleRefused, expectVerifyRefused } from '../expect-refusal.js'

/** What createFacilitator's default settlement guard answers a payment id it already settled or is settling. */
const DUPLICATE = { success: false, errorReason: 'duplicate_settlement', transaction: '' }

/** Case 4: a payment moves money once, however often and however concurrently it is settled. */
export function registerReplayCases(context: () => ConformanceContext, concurrentSettles: number): void {
  test('a settled payment settled again is refused as duplicate_settlement, and money moves once', async () => {
    const { facilitator, requirements } = context()
    const payload = await context().pay()
    const before = await context().balances()
    const first = await facilitator.settle(payload, requirements)
    expect(first, first.errorMessage).toMatchObject({ success: true })
    const after = await context().balances()

    const second = await facilitator.settle(payload, requirements)

    expect(second).toMatchObject({ ...DUPLICATE, network: requirements.network })
    expect(await context().balances()).toEqual(after)
    expect(after[1]).toBe((before[1] ?? 0n) + BigInt(requirements.amount))
    // The guard stops the second settle before the scheme; the scheme's own verify must know it is spent.
    expectVerifyRefused(context(), 'replay', await facilitator.verify(payload, requirements))
  })

  test(`${concurrentSettles} simultaneous settles of one payment move money exactly once`, async () => {
    const { facilitator, requirements } = context()
    const payload = await context().pay()
    const before = await context().balances()

    const results = await Promise.all(
      Array.from({ length: concurrentSettles }, () => facilitator.settle(payload, requirements)),
    )

    const settled = results.filter((result) => result.success)
    expect(settled, JSON.stringify(results)).toHaveLength(1)
    for (const result of results.filter((answer) => !answer.success)) expect(result).toMatchObject(DUPLICATE)
    const amount = BigInt(requirements.amount)
    expect(await context().balances()).toEqual([
      (before[0] ?? 0n) - amount,
      (before[1] ?? 0n) + amount,
      before[2],
    ])
  })

  test('a payment settled by one facilitator is refused by another that never saw it (replay), moving nothing', async () => {
    const { scheme, facilitator, requirements } = context()
    const payload = await context().pay()
    const first = await facilitator.settle(payload, requirements)
    expect(first, first.errorMessage).toMatchObject({ success: true })
    const after = await context().balances()
    const elsewhere = createFacilitator({ schemes: [await scheme.separateFacilitator()] })

    expectVerifyRefused(context(), 'replay', await elsewhere.verify(payload, requirements))
    expectSettleRefused(context(), 'replay', await elsewhere.settle(payload, requirements))
    expect(await context().balances()).toEqual(after)
  })
}
