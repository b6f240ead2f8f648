import { describe, expect, test } from 'vitest'
import { decodeBase64Json } from '../http/payment-headers.js'
import type { PaymentPayload, PaymentRequirements } from '../schemas/index.js'
import {
  discoveryEntryOf,
  encodeExtensionResponses,
  isValidRouteTemplate,
  isValidServiceName,
  sanitizeTags,
} from './bazaar-catalog-entry.js'
import { declareDiscovery } from './bazaar-declare.js'

const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: 'eip155:8453',
  amount: '10000',
  asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
}
const weather = declareDiscovery({
  method: 'GET',
  input: { city: 'Paris' },
  description: 'Weather now',
  tags: ['weather', 'Weather', 'forecast'],
})

function payment(resource: Record<string, unknown> | undefined, bazaar: unknown): PaymentPayload {
  return {
    x402Version: 2,
    ...(resource === undefined ? {} : { resource: resource as PaymentPayload['resource'] }),
    accepted: requirements,
    payload: {},
    ...(bazaar === undefined ? {} : { extensions: { bazaar } }),
  }
}

describe('discoveryEntryOf', () => {
  test('builds the entry: URL without query or fragment, method, sanitized tags, the offer', () => {
    const found = discoveryEntryOf(
      payment(
        {
          url: 'https://api.example.com/weather?city=Paris#now',
          description: 'ignored: info has one',
          mimeType: 'application/json',
          serviceName: 'Example Weather',
          tags: ['forecast', 'rain', 'x'.repeat(33)],
        },
        weather,
      ),
      requirements,
    )
    expect(found).toEqual({
      kind: 'entry',
      entry: {
        resource: 'https://api.example.com/weather',
        type: 'http',
        operation: 'GET',
        x402Version: 2,
        description: 'Weather now',
        mimeType: 'application/json',
        serviceName: 'Example Weather',
        tags: ['weather', 'forecast', 'rain'],
        extension: weather,
        offer: requirements,
      },
    })
  })

  test('keys a parameterised route by its template and an MCP tool by its name (tool or toolName)', () => {
    const user = declareDiscovery({ method: 'GET', routeTemplate: '/users/:id' })
    const byTemplate = discoveryEntryOf(
      payment({ url: 'https://a.example/users/42?x=1' }, user),
      requirements,
    )
    expect(byTemplate.kind === 'entry' && byTemplate.entry.resource).toBe('https://a.example/users/:id')

    const tool = declareDiscovery({
      tool: 'forecast',
      inputSchema: { type: 'object' },
      description: 'Forecast',
    })
    const mcp = discoveryEntryOf(payment({ url: 'https://a.example/mcp' }, tool), requirements)
    expect(mcp.kind === 'entry' && [mcp.entry.type, mcp.entry.operation, mcp.entry.description]).toEqual([
      'mcp',
      'forecast',
      'Forecast',
    ])
    const official = {
      info: { input: { type: 'mcp', toolName: 'fin', inputSchema: {} } },
      schema: { type: 'object', properties: { input: {} }, required: ['input'] },
    }
    const named = discoveryEntryOf(payment({ url: 'mcp://tool/fin' }, official), requirements)
    expect(named.kind === 'entry' && [named.entry.resource, named.entry.operation]).toEqual([
      'mcp://tool/fin',
      'fin',
    ])
  })

  test('falls back to the concrete path when the routeTemplate is invalid', () => {
    const declared = { ...declareDiscovery({ method: 'GET' }), routeTemplate: 'https://evil.example/x' }
    const found = discoveryEntryOf(payment({ url: 'https://a.example/users/42' }, declared), requirements)
    expect(found.kind === 'entry' && found.entry.resource).toBe('https://a.example/users/42')
  })

  test('uses resource.description when info has none, and drops an invalid service name', () => {
    const found = discoveryEntryOf(
      payment(
        { url: 'https://a.example/x', description: '  Line\u0000one  ', serviceName: 'Ünïcode' },
        declareDiscovery({ method: 'GET' }),
      ),
      requirements,
    )
    expect(found.kind === 'entry' && found.entry).toMatchObject({ description: 'Line one', tags: [] })
    expect(found.kind === 'entry' && 'serviceName' in found.entry).toBe(false)
  })

  test.each([
    [
      'no resource',
      undefined,
      weather,
      'paymentPayload.resource is missing: the catalog needs the resource URL',
    ],
    [
      'a relative URL',
      { url: '/weather' },
      weather,
      'resource.url: must be an absolute URL of at most 2048 characters',
    ],
    ['a javascript: URL', { url: 'javascript:alert(1)' }, weather, 'resource.url: must be an http(s) URL'],
    [
      'credentials in the URL',
      { url: 'https://u:p@a.example/x' },
      weather,
      'resource.url: must not carry credentials',
    ],
    [
      'a malformed declaration',
      { url: 'https://a.example/x' },
      { info: {} },
      'schema: must be a JSON Schema object',
    ],
  ])('rejects %s', (_name, resource, bazaar, reason) => {
    expect(discoveryEntryOf(payment(resource, bazaar), requirements)).toEqual({ kind: 'rejected', reason })
  })

  test('is none without a bazaar extension', () => {
    expect(discoveryEntryOf(payment({ url: 'https://a.example/x' }, undefined), requirements)).toEqual({
      kind: 'none',
    })
  })
})

test.each([
  ['/users/:userId', true],
  ['/weather/:country/:city', true],
  ['/a-b_c.d~e%20', true],
  ['', false],
  ['users/:id', false],
  ['/', false],
  ['/users/../admin', false],
  ['/a/%2e%2e/admin', false],
  ['/x%3A%2F%2Fevil', false],
  ['/a b', false],
  ['/bad%', false],
])('isValidRouteTemplate(%j) is %s', (template, valid) => {
  expect(isValidRouteTemplate(template)).toBe(valid)
})

test('sanitizeTags keeps 5 printable ASCII tags, deduplicated case-insensitively', () => {
  expect(sanitizeTags(['a', 'A', 'b', '', 'c\n', 'd', 'e', 'f', 'g'])).toEqual(['a', 'b', 'd', 'e', 'f'])
  expect(sanitizeTags('weather')).toEqual([])
  expect(isValidServiceName('Example Weather')).toBe(true)
  expect(isValidServiceName('x'.repeat(33))).toBe(false)
})

test('encodeExtensionResponses is base64 JSON keyed by extension, as the spec example', () => {
  const header = encodeExtensionResponses({ bazaar: { status: 'success' } })
  expect(header).toBe('eyJiYXphYXIiOnsic3RhdHVzIjoic3VjY2VzcyJ9fQ==')
  expect(decodeBase64Json('EXTENSION-RESPONSES', header)).toEqual({ bazaar: { status: 'success' } })
})
