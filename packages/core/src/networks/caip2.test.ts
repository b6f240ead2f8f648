import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import { assertIsCaip2, caip2, evmChainId, formatCaip2, isCaip2, parseCaip2 } from './caip2.js'

describe('caip2', () => {
  test.each([
    'eip155:8453',
    'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
    'cash:test',
    'bip122:000000000019d6689c085ae165831e93',
  ])('accepts %s', (id) => {
    expect(isCaip2(id)).toBe(true)
    expect(caip2(id)).toBe(id)
  })

  test.each([
    'base',
    'eip155',
    ':1',
    'EIP155:1',
    'ab:1',
    'eip155:',
    'eip155:1:2',
    `eip155:${'1'.repeat(33)}`,
    8453,
    null,
  ])('rejects %j', (id) => {
    expect(isCaip2(id)).toBe(false)
    expect(() => assertIsCaip2(id)).toThrow(/is not a CAIP-2 chain id/)
  })

  test('parses and formats', () => {
    expect(parseCaip2('eip155:8453')).toEqual({ namespace: 'eip155', reference: '8453' })
    expect(formatCaip2('eip155', 1)).toBe('eip155:1')
  })

  test('reads EVM chain ids and refuses other namespaces', () => {
    expect(evmChainId('eip155:84532')).toBe(84532)
    let error: unknown
    try {
      evmChainId('solana:abc')
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_network')).toBe(true)
  })
})
