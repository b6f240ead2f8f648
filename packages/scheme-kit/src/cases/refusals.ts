import { type PaymentPayload, type PaymentRequirements, parseCaip2 } from '@open402/core'
import { test } from 'vitest'
import type { ConformanceContext } from '../conformance-context.js'
import { expectRefused } from '../expect-refusal.js'
import type { RefusalCase } from '../types.js'

interface Refusal {
  refusal: RefusalCase
  title: string
  payment(context: ConformanceContext): Promise<PaymentPayload>
}

/** The offer with one term changed: what a payment for other terms was made for. */
function otherTerms(context: ConformanceContext, field: 'amount' | 'payTo' | 'asset'): PaymentRequirements {
  const { requirements, scheme } = context
  if (field === 'payTo') return { ...requirements, payTo: scheme.otherPayTo }
  if (field === 'asset') return { ...requirements, asset: scheme.otherAsset }
  const amount = BigInt(requirements.amount)
  return { ...requirements, amount: (amount > 1n ? amount - 1n : amount + 1n).toString() }
}

const TERMS = [
  { field: 'amount', declared: 'declaredAmount', what: 'an amount other than the offer' },
  { field: 'payTo', declared: 'declaredPayTo', what: 'a recipient other than payTo' },
  { field: 'asset', declared: 'declaredAsset', what: 'an asset other than the offer' },
] as const

const REFUSALS: Refusal[] = [
  ...TERMS.flatMap(({ field, declared, what }): Refusal[] => [
    {
      refusal: field,
      title: `refuses a payment signed for ${what} but presented as paying the offer`,
      payment: (context) => context.pay(otherTerms(context, field), context.requirements),
    },
    {
      refusal: declared,
      title: `refuses a payment for ${what} that declares it in accepted`,
      payment: (context) => context.pay(otherTerms(context, field)),
    },
  ]),
  {
    refusal: 'network',
    title: 'refuses a payment whose accepted offer names another network',
    payment: (context) => {
      const { requirements, scheme } = context
      const other = scheme.otherNetwork ?? `${parseCaip2(scheme.network).namespace}:conformance`
      return context.pay(requirements, { ...requirements, network: other })
    },
  },
]

/** Case 2 and 3: wrong terms and expired payments are refused by verify and settle, and nothing moves. */
export function registerRefusalCases(context: () => ConformanceContext): void {
  for (const { refusal, title, payment } of REFUSALS) {
    test(`${title} (verify and settle: ${refusal}), moving nothing`, async () => {
      await expectRefused(context(), refusal, await payment(context()))
    })
  }

  test('refuses an expired payment (verify and settle: expired), moving nothing', async () => {
    const payload = await context().pay()
    const expired = await context().scheme.expire(payload, context().requirements)
    try {
      await expectRefused(context(), 'expired', expired.payload)
    } finally {
      await expired.restore?.()
    }
  })
}
