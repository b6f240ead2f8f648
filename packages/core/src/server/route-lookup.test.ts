import { describe, expect, test } from 'vitest'
import type { RouteConfig } from '../http/types.js'
import { pathVariants } from './path-variants.js'
import { createRouteLookup, urlPath } from './route-lookup.js'
import { compileRoutes, findRoute } from './route-table.js'

const route: RouteConfig = {
  accepts: { scheme: 'cash', network: 'cash:test', price: '$0.01', payTo: 'shop' },
}
const routes = compileRoutes({ 'GET /paid': route, 'POST /premium/*': route, '/docs/:id': route })

const URLS = [
  'http://shop.test/paid',
  'https://shop.test:8443/PAID/?x=1#frag',
  'http://shop.test',
  'http://shop.test?x=1',
  'http://user:pw@shop.test/paid',
  'http://shop.test/free/../paid',
  'http://shop.test/free/%2e%2e/paid',
  'http://shop.test/free/%2E./paid',
  'http://shop.test/a/./b',
  'http://shop.test/%70aid',
  'http://shop.test/paid%2F',
  'http://shop.test/paid\\x',
  'http://shop.test/caf\u00e9',
  'http://shop.test/a b',
  'http://shop.test/a"b<c>',
  'http://shop.test//paid',
  'http://shop.test/docs/x;y=1',
  'HTTP://SHOP.TEST/Paid',
  'file:///etc/paid',
]

describe('urlPath', () => {
  test.each(URLS)('reads the same path as new URL(%s).pathname', (url) => {
    expect(urlPath(url)).toBe(new URL(url).pathname)
  })
})

describe('createRouteLookup', () => {
  const cases: [string, string | undefined, string][] = [
    ['GET', '/paid', 'http://shop.test/paid'],
    ['HEAD', undefined, 'http://shop.test/PAID/'],
    ['GET', '/free/..%2Fpaid', 'http://shop.test/free/..%2Fpaid'],
    ['GET', '/free', 'http://shop.test/free'],
    ['POST', '/premium', 'http://shop.test/premium'],
    ['GET', '/premium/x', 'http://shop.test/premium/x'],
    ['DELETE', '/docs/7', 'http://shop.test/docs/7'],
    ['GET', '', 'http://shop.test/paid'],
  ]

  test('answers like findRoute over every path variant, the first time and from its memo', () => {
    const lookup = createRouteLookup(routes)
    for (let round = 0; round < 2; round++) {
      for (const [method, rawPath, url] of cases) {
        const expected = findRoute(routes, method, pathVariants(rawPath, new URL(url).pathname))
        expect(lookup(method, rawPath, url)?.key).toBe(expected?.key)
      }
    }
  })

  test('keeps answering correctly after more distinct paths than its memo holds', () => {
    const lookup = createRouteLookup(routes)
    for (let i = 0; i < 1200; i++)
      expect(lookup('GET', `/free/${i}`, `http://shop.test/free/${i}`)).toBeUndefined()
    expect(lookup('GET', '/paid', 'http://shop.test/paid')?.key).toBe('GET /paid')
    expect(lookup('GET', '/%70aid', 'http://shop.test/%70aid')?.key).toBe('GET /paid')
  })
})
