import { describe, expect, test } from 'vitest'
import { assertIsNetworkPattern, isNetworkPattern, matchesNetwork, networkFamily } from './network-pattern.js'

describe('network patterns', () => {
  test.each([
    ['eip155:*', 'eip155:8453', true],
    ['eip155:*', 'eip155:1', true],
    ['eip155:*', 'solana:abc', false],
    ['eip155:*', 'eip155:', false],
    ['eip155:8453', 'eip155:8453', true],
    ['eip155:8453', 'eip155:84532', false],
  ] as const)('%s matches %s: %s', (pattern, network, expected) => {
    expect(matchesNetwork(pattern, network)).toBe(expected)
  })

  test('recognises patterns and families', () => {
    expect(isNetworkPattern('solana:*')).toBe(true)
    expect(isNetworkPattern('*')).toBe(false)
    expect(isNetworkPattern('eip155:8*')).toBe(false)
    expect(networkFamily('eip155:8453')).toBe('eip155:*')
    expect(() => assertIsNetworkPattern('base')).toThrow(/neither a CAIP-2 id nor a namespace:\* pattern/)
  })
})
