import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import {
  DiscoveryResourcesResponseSchema,
  discoveryQueryString,
  parseDiscoveryQuery,
} from './bazaar-discovery-api.js'

const parse = (query: string) => parseDiscoveryQuery(new URLSearchParams(query))

describe('parseDiscoveryQuery', () => {
  test('fills the spec defaults: limit 20, offset 0', () => {
    expect(parse('')).toEqual({ ok: true, query: { limit: 20, offset: 0 } })
  })

  test('reads every filter, converting prices and splitting search words', () => {
    expect(
      parse(
        'type=http&limit=100&offset=40&network=eip155:8453&scheme=exact&asset=0xABC&maxPrice=%240.01&q=Weather%20%20Paris&metadata[provider]=x',
      ),
    ).toEqual({
      ok: true,
      query: {
        type: 'http',
        limit: 100,
        offset: 40,
        network: 'eip155:8453',
        scheme: 'exact',
        asset: '0xABC',
        maxUsd: 10n ** 16n,
        terms: ['weather', 'paris'],
      },
    })
    expect(parse('maxPrice=10000')).toEqual({ ok: true, query: { limit: 20, offset: 0, maxAmount: 10000n } })
  })

  test.each([
    ['limit=0', 'limit must be an integer from 1 to 100'],
    ['limit=101', 'limit must be an integer from 1 to 100'],
    ['limit=ten', 'limit must be an integer from 1 to 100'],
    ['offset=-1', 'offset must be an integer from 0 to 1000000'],
    ['limit=1&limit=2', 'limit is given more than once'],
    ['network=base', 'network must be a CAIP-2 id such as eip155:8453'],
    ['type=a%20b', 'type must be 1-64 letters, digits or _.:-'],
    ['maxPrice=0.01', 'maxPrice must be atomic units (10000) or dollars ($0.01)'],
    ['maxPrice=%24abc', 'maxPrice must be atomic units (10000) or dollars ($0.01)'],
    ['maxPrice=-5', 'maxPrice must be atomic units (10000) or dollars ($0.01)'],
    [`q=${'a%20'.repeat(9)}`, 'q must be at most 200 characters and 8 words'],
  ])('refuses %s with a reason', (query, reason) => {
    expect(parse(query)).toEqual({ ok: false, reason })
  })
})

test('discoveryQueryString serialises filters and refuses what the facilitator would refuse', () => {
  expect(discoveryQueryString({ type: 'http', maxPrice: 25n, q: 'weather', limit: undefined })).toBe(
    'type=http&maxPrice=25&q=weather',
  )
  expect(discoveryQueryString()).toBe('')
  let error: unknown
  try {
    discoveryQueryString({ limit: 500 })
  } catch (caught) {
    error = caught
  }
  expect(isX402Error(error, 'invalid_config')).toBe(true)
  expect((error as Error).message).toBe('discovery filters: limit must be an integer from 1 to 100')
})

test('a listing keeps valid V2 offers only and accepts an ISO lastUpdated', () => {
  const offer = {
    scheme: 'exact',
    network: 'eip155:8453',
    amount: '10',
    asset: 'USDC',
    payTo: 'shop',
    maxTimeoutSeconds: 60,
  }
  const parsed = DiscoveryResourcesResponseSchema.parse({
    x402Version: 2,
    items: [
      {
        resource: 'https://a.example/x',
        type: 'http',
        x402Version: 2,
        accepts: [offer, { scheme: 'exact', network: 'base', maxAmountRequired: '10' }],
        lastUpdated: '2025-01-01T00:00:00.000Z',
      },
    ],
    pagination: { limit: 20, offset: 0, total: 1 },
  })
  expect(parsed.items[0]?.accepts).toEqual([offer])
  expect(parsed.items[0]?.lastUpdated).toBe('2025-01-01T00:00:00.000Z')
})
