import { isErrorReason, type SettleResponse, type VerifyResponse } from '@open402/core'
import { expect } from 'vitest'
import type { ConformanceContext } from './conformance-context.js'
import type { ExpectedRefusal, RefusalCase } from './types.js'

/** Reasons that say only that something failed: a refusal the kit checks must name what was wrong. */
const GENERIC_REASONS = new Set(['invalid_payload', 'unexpected_verify_error', 'unexpected_settle_error'])

/**
 * Checks that `reason` (from `stage`) is a registered, specific reason code, and the one the adapter
 * expects for `refusal` when it names one.
 */
export function expectReason(
  reason: string | undefined,
  stage: 'verify' | 'settle',
  refusal: RefusalCase,
  expected: ExpectedRefusal | undefined,
  message: string | undefined,
): void {
  const said = `${stage} answered ${String(reason)} (${message ?? 'no message'})`
  expect(isErrorReason(reason), `${said}: not a reason in core's REASONS`).toBe(true)
  expect(GENERIC_REASONS.has(reason ?? ''), `${said}: a generic reason, expected a specific one`).toBe(false)
  const wanted = expected === undefined || typeof expected === 'string' ? expected : expected[stage]
  if (wanted !== undefined) expect(reason, `${said}: expected ${wanted} for "${refusal}"`).toBe(wanted)
}

/** Checks a refused verify answer. */
export function expectVerifyRefused(
  context: ConformanceContext,
  refusal: RefusalCase,
  result: VerifyResponse,
) {
  expect(result.isValid, `verify accepted a payment it must refuse (${refusal})`).toBe(false)
  const expected = context.scheme.expectedReasons?.[refusal]
  expectReason(result.invalidReason, 'verify', refusal, expected, result.invalidMessage)
}

/** Checks a refused settle answer. */
export function expectSettleRefused(
  context: ConformanceContext,
  refusal: RefusalCase,
  result: SettleResponse,
) {
  expect(result.success, `settle succeeded for a payment it must refuse (${refusal})`).toBe(false)
  const expected = context.scheme.expectedReasons?.[refusal]
  expectReason(result.errorReason, 'settle', refusal, expected, result.errorMessage)
  expect(result.network).toBe(context.requirements.network)
}

/**
 * Presents `payload` to verify and then settle against the real offer: both must refuse it with the
 * refusal's reason, and no watched balance may move.
 */
export async function expectRefused(
  context: ConformanceContext,
  refusal: RefusalCase,
  payload: Parameters<ConformanceContext['facilitator']['verify']>[0],
): Promise<void> {
  const before = await context.balances()
  expectVerifyRefused(context, refusal, await context.facilitator.verify(payload, context.requirements))
  expectSettleRefused(context, refusal, await context.facilitator.settle(payload, context.requirements))
  expect(await context.balances(), 'balances of payer, payTo and otherPayTo').toEqual(before)
}
