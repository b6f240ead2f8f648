import { describe, expect, test } from 'vitest'
import { createSchemeRegistry } from './scheme-registry.js'

describe('createSchemeRegistry', () => {
  const family = { scheme: 'exact', network: 'eip155:*' as const, id: 'family' }
  const base = { scheme: 'exact', network: 'eip155:8453' as const, id: 'base' }
  const solana = { scheme: 'exact', network: 'solana:*' as const, id: 'solana' }
  const registry = createSchemeRegistry([family, base, solana], 'test')

  test('prefers an exact network id over a pattern registered earlier', () => {
    expect(registry.resolve('exact', 'eip155:8453')?.id).toBe('base')
    expect(registry.resolve('exact', 'eip155:1')?.id).toBe('family')
    expect(registry.resolve('exact', 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp')?.id).toBe('solana')
  })

  test('resolves nothing for another scheme or namespace', () => {
    expect(registry.resolve('upto', 'eip155:8453')).toBeUndefined()
    expect(registry.resolve('exact', 'cosmos:hub')).toBeUndefined()
    expect(registry.resolve('exact', 'eip155')).toBeUndefined()
    expect(registry.hasScheme('exact')).toBe(true)
    expect(registry.hasScheme('upto')).toBe(false)
  })

  test('returns the cached answer for a network seen before', () => {
    const first = registry.resolve('exact', 'eip155:10')
    expect(registry.resolve('exact', 'eip155:10')).toBe(first)
  })

  test('rejects invalid patterns and duplicates at construction', () => {
    expect(() => createSchemeRegistry([{ scheme: 'exact', network: 'base' as 'a:b' }], 'client')).toThrow(
      /client: exact is registered on "base"/,
    )
    expect(() => createSchemeRegistry([base, { ...base }], 'server')).toThrow(/registered twice/)
  })
})
