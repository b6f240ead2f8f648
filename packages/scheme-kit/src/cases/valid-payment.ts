import { expect, test } from 'vitest'
import type { ConformanceContext } from '../conformance-context.js'

/** Case 1 and 5: a valid payment verifies and settles once; verifying changes nothing. */
export function registerValidPaymentCases(context: () => ConformanceContext): void {
  test('a valid payment verifies, then settles once, moving exactly the amount from payer to payTo', async () => {
    const { facilitator, requirements, payer, scheme } = context()
    const payload = await context().pay()
    const [payerBefore, payToBefore, otherBefore] = await context().balances()
    const amount = BigInt(requirements.amount)

    expect(await facilitator.verify(payload, requirements)).toEqual({ isValid: true, payer })
    const settled = await facilitator.settle(payload, requirements)

    expect(settled, settled.errorMessage).toMatchObject({ success: true, network: scheme.network, payer })
    expect(settled.transaction).toMatch(/\S/)
    expect(settled.status ?? 'confirmed').toBe('confirmed')
    expect(await context().balances()).toEqual([
      (payerBefore ?? 0n) - amount,
      (payToBefore ?? 0n) + amount,
      otherBefore,
    ])
  })

  test('verify changes no state: three verifies move no balance, and the payment still settles after', async () => {
    const { facilitator, requirements, payer } = context()
    const payload = await context().pay()
    const before = await context().balances()

    for (let i = 0; i < 3; i++) {
      expect(await facilitator.verify(payload, requirements)).toEqual({ isValid: true, payer })
      expect(await context().balances()).toEqual(before)
    }
    const settled = await facilitator.settle(payload, requirements)

    expect(settled, settled.errorMessage).toMatchObject({ success: true, payer })
    const amount = BigInt(requirements.amount)
    expect(await context().balances()).toEqual([
      (before[0] ?? 0n) - amount,
      (before[1] ?? 0n) + amount,
      before[2],
    ])
  })
}
