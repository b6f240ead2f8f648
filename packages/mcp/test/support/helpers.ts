import type { PaymentRequired } from '@open402/core'
import { paymentRequiredFromToolResult } from '../../src/index.js'

/** `list[index]`, or a thrown error naming what is missing. */
export function nth<T>(list: readonly T[], index: number): T {
  const item = list[index]
  if (item === undefined) throw new Error(`no item ${index} (the list has ${list.length})`)
  return item
}

/** The PaymentRequired a tool result carries, or a thrown error when it carries none. */
export function requiredOf(result: unknown): PaymentRequired {
  const required = paymentRequiredFromToolResult(result)
  if (!required) throw new Error(`not a payment-required tool result: ${JSON.stringify(result)}`)
  return required
}
