import { describe, expect, test } from 'vitest'
import { expectReason } from './expect-refusal.js'

describe('expectReason', () => {
  test('passes a registered, specific reason, and the expected one', () => {
    expect(() => expectReason('invalid_network', 'verify', 'network', undefined, undefined)).not.toThrow()
    expect(() => expectReason('invalid_network', 'settle', 'network', 'invalid_network', 'm')).not.toThrow()
    const perStage = { verify: 'invalid_network', settle: 'duplicate_settlement' } as const
    expect(() => expectReason('duplicate_settlement', 'settle', 'replay', perStage, undefined)).not.toThrow()
  })

  test.each([
    ['a reason outside the registry', 'made_up_reason', undefined, /not a reason in core's REASONS/],
    ['no reason at all', undefined, undefined, /not a reason in core's REASONS/],
    ['the generic invalid_payload', 'invalid_payload', undefined, /a generic reason/],
    ['the generic unexpected_settle_error', 'unexpected_settle_error', undefined, /a generic reason/],
    [
      'another reason than expected',
      'invalid_scheme',
      'invalid_network',
      /expected invalid_network for "network"/,
    ],
  ] as const)('fails on %s', (_what, reason, expected, message) => {
    expect(() => expectReason(reason, 'verify', 'network', expected, 'why')).toThrow(message)
  })

  test('checks each stage against its own expected reason', () => {
    const perStage = { verify: 'invalid_network', settle: 'duplicate_settlement' } as const
    expect(() => expectReason('invalid_network', 'settle', 'replay', perStage, undefined)).toThrow(
      /expected duplicate_settlement/,
    )
  })
})
