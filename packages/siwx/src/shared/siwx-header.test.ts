import { encodeBase64Json } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { decodeSiwxHeader, encodeSiwxHeader } from './siwx-header.js'
import type { SiwxPayload } from './types.js'

// The header of the spec's "Client Request" example (specs/extensions/sign-in-with-x.md), verbatim.
const SPEC_HEADER =
  'eyJkb21haW4iOiJhcGkuZXhhbXBsZS5jb20iLCJhZGRyZXNzIjoiMHg4NTdiMDY1MTlFOTFlM0E1NDUzODc5MWJEYmIwRTIyMzczZTM2YjY2IiwidXJpIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vcHJlbWl1bS1kYXRhIiwidmVyc2lvbiI6IjEiLCJjaGFpbklkIjoiZWlwMTU1Ojg0NTMiLCJ0eXBlIjoiZWlwMTkxIiwibm9uY2UiOiJhMWIyYzNkNGU1ZjY3ODkwYTFiMmMzZDRlNWY2Nzg5MCIsImlzc3VlZEF0IjoiMjAyNC0wMS0xNVQxMDozMDowMC4wMDBaIiwiZXhwaXJhdGlvblRpbWUiOiIyMDI0LTAxLTE1VDEwOjM1OjAwLjAwMFoiLCJzdGF0ZW1lbnQiOiJTaWduIGluIHRvIGFjY2VzcyBwcmVtaXVtIGRhdGEiLCJyZXNvdXJjZXMiOlsiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vcHJlbWl1bS1kYXRhIl0sInNpZ25hdHVyZVNjaGVtZSI6ImVpcDE5MSIsInNpZ25hdHVyZSI6IjB4MmQ2YTc1ODhkNmFjY2E1MDVjYmYwZDlhNGEyMjdlMGM1MmM2YzM0MDA4YzhlODk4NmExMjgzMjU5NzY0MTczNjA4YTJjZTY0OTY2NDJlMzc3ZDZkYThkYmJmNTgzNmU5YmQxNTA5MmY5ZWNhYjA1ZGVkM2Q2MjkzYWYxNDhiNTcxYyJ9'

const proof: SiwxPayload = {
  domain: 'api.example.com',
  address: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
  uri: 'https://api.example.com/premium-data',
  version: '1',
  chainId: 'eip155:8453',
  type: 'eip191',
  nonce: 'a1b2c3d4e5f67890a1b2c3d4e5f67890',
  issuedAt: '2024-01-15T10:30:00.000Z',
  expirationTime: '2024-01-15T10:35:00.000Z',
  statement: 'Sign in to access premium data',
  resources: ['https://api.example.com/premium-data'],
  signatureScheme: 'eip191',
  signature:
    '0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c',
}

describe('SIGN-IN-WITH-X header', () => {
  test('decodes the spec’s example header', () => {
    expect(decodeSiwxHeader(SPEC_HEADER)).toEqual(proof)
  })

  test('encodes to standard base64 JSON that decodes to the same proof, extra fields kept', () => {
    const extended = { ...proof, walletName: 'test' } as SiwxPayload
    expect(decodeSiwxHeader(encodeSiwxHeader(extended))).toEqual(extended)
    expect(encodeSiwxHeader(proof)).toBe(SPEC_HEADER)
  })

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing signature', { signature: undefined }, /signature must be/],
    [
      'a statement with a line break',
      { statement: 'hi\nURI: https://evil.example' },
      /statement must be one line/,
    ],
    ['a request id with a line break', { requestId: 'a\r\nb' }, /requestId must be one line/],
    ['a domain with a space', { domain: 'api.example.com evil' }, /domain must be a host/],
    ['a short nonce', { nonce: 'abc' }, /nonce must be at least 8 letters or digits/],
    ['a nonce with punctuation', { nonce: 'abcdefgh-1' }, /nonce must be/],
    ['version 2', { version: '2' }, /version must be "1"/],
    ['a chain id that is not CAIP-2', { chainId: '8453' }, /chainId "8453" is not a CAIP-2 id/],
    ['a relative uri', { uri: '/premium-data' }, /uri "\/premium-data" is not an absolute URI/],
    ['a date that is not ISO 8601', { issuedAt: 'Jan 15 2024' }, /issuedAt must be an ISO 8601 time/],
    [
      'an impossible date',
      { expirationTime: '2024-13-45T10:30:00.000Z' },
      /expirationTime .* is not a valid time/,
    ],
    [
      'resources that are not a list of URIs',
      { resources: 'https://a.example' },
      /resources must be an array/,
    ],
  ])('refuses %s, naming the field', (_name, change, message) => {
    const header = encodeBase64Json({ ...proof, ...change })
    expect(() => decodeSiwxHeader(header)).toThrow(message)
    expect(() => decodeSiwxHeader(header)).toThrow(expect.objectContaining({ code: 'invalid_header' }))
  })

  test.each([
    ['not base64', '%%%'],
    ['JSON that is not an object', encodeBase64Json(['domain'])],
    ['a header over 8 KiB', encodeBase64Json({ ...proof, statement: 'x'.repeat(9000) })],
  ])('refuses %s', (_name, header) => {
    expect(() => decodeSiwxHeader(header)).toThrow(/SIGN-IN-WITH-X/)
  })
})
