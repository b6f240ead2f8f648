import { createSiweMessage } from 'viem/siwe'
import { describe, expect, test } from 'vitest'
import { formatSiwxMessage, type SiwxMessageFields } from './siwx-message.js'

// The spec's examples (specs/extensions/sign-in-with-x.md, "Message Format"), verbatim.
const SPEC_EVM = `api.example.com wants you to sign in with your Ethereum account:
0x857b06519E91e3A54538791bDbb0E22373e36b66

Sign in to access premium data

URI: https://api.example.com/premium-data
Version: 1
Chain ID: 8453
Nonce: a1b2c3d4e5f67890a1b2c3d4e5f67890
Issued At: 2024-01-15T10:30:00.000Z
Expiration Time: 2024-01-15T10:35:00.000Z
Resources:
- https://api.example.com/premium-data`

const SPEC_SOLANA = `api.example.com wants you to sign in with your Solana account:
BSmWDgE9ex6dZYbiTsJGcwMEgFp8q4aWh92hdErQPeVW

Sign in to access premium data

URI: https://api.example.com/premium-data
Version: 1
Chain ID: 5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp
Nonce: a1b2c3d4e5f67890a1b2c3d4e5f67890
Issued At: 2024-01-15T10:30:00.000Z
Expiration Time: 2024-01-15T10:35:00.000Z
Resources:
- https://api.example.com/premium-data`

const info = {
  domain: 'api.example.com',
  uri: 'https://api.example.com/premium-data',
  version: '1',
  nonce: 'a1b2c3d4e5f67890a1b2c3d4e5f67890',
  issuedAt: '2024-01-15T10:30:00.000Z',
  expirationTime: '2024-01-15T10:35:00.000Z',
  statement: 'Sign in to access premium data',
  resources: ['https://api.example.com/premium-data'],
}

describe('formatSiwxMessage', () => {
  test('writes the spec’s EIP-4361 example for eip155 chains', () => {
    const fields = { ...info, address: '0x857b06519E91e3A54538791bDbb0E22373e36b66', chainId: 'eip155:8453' }
    expect(formatSiwxMessage(fields)).toBe(SPEC_EVM)
  })

  test('writes the spec’s Sign-In-With-Solana example for solana chains', () => {
    const fields = {
      ...info,
      address: 'BSmWDgE9ex6dZYbiTsJGcwMEgFp8q4aWh92hdErQPeVW',
      chainId: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
    }
    expect(formatSiwxMessage(fields)).toBe(SPEC_SOLANA)
  })

  const address = '0xA0Cf798816D4b9b9866b5330EEa46a18382f251e'
  test.each<[string, Partial<SiwxMessageFields>]>([
    ['every field', { notBefore: '2024-01-15T10:29:00.000Z', requestId: 'req-7' }],
    ['no statement (EIP-4361 keeps the empty line)', { statement: undefined }],
    ['no optional field', { statement: undefined, expirationTime: undefined, resources: undefined }],
    ['an empty resource list', { resources: [] }],
    ['a host with a port', { domain: '127.0.0.1:4021', uri: 'http://127.0.0.1:4021/report' }],
  ])('matches viem’s createSiweMessage with %s', (_name, change) => {
    const fields: SiwxMessageFields = { ...info, address, chainId: 'eip155:1', ...change }
    const viem = createSiweMessage({
      address,
      chainId: 1,
      domain: fields.domain,
      nonce: fields.nonce,
      uri: fields.uri,
      version: '1',
      issuedAt: new Date(fields.issuedAt),
      ...(fields.statement === undefined ? {} : { statement: fields.statement }),
      ...(fields.expirationTime === undefined ? {} : { expirationTime: new Date(fields.expirationTime) }),
      ...(fields.notBefore === undefined ? {} : { notBefore: new Date(fields.notBefore) }),
      ...(fields.requestId === undefined ? {} : { requestId: fields.requestId }),
      ...(fields.resources === undefined ? {} : { resources: fields.resources }),
    })
    expect(formatSiwxMessage(fields)).toBe(viem)
  })

  test('drops the statement lines entirely on Solana when there is none, as SIWS does', () => {
    const text = formatSiwxMessage({
      ...info,
      statement: undefined,
      address: 'BSmWDgE9ex6dZYbiTsJGcwMEgFp8q4aWh92hdErQPeVW',
      chainId: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
    })
    expect(text.split('\n').slice(0, 4)).toEqual([
      'api.example.com wants you to sign in with your Solana account:',
      'BSmWDgE9ex6dZYbiTsJGcwMEgFp8q4aWh92hdErQPeVW',
      '',
      'URI: https://api.example.com/premium-data',
    ])
  })

  test('refuses a chain namespace without a message format', () => {
    expect(() => formatSiwxMessage({ ...info, address: 'x', chainId: 'cosmos:hub' })).toThrow(
      /no message format for chain "cosmos:hub"/,
    )
  })
})
