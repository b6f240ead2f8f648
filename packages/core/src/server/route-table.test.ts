import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import type { RouteConfig } from '../http/types.js'
import { pathVariants } from './path-variants.js'
import { compileRoutes, findRoute } from './route-table.js'

const route: RouteConfig = {
  accepts: { scheme: 'cash', network: 'cash:test', price: '$0.01', payTo: 'shop' },
}
const routes = compileRoutes({
  'GET /paid': route,
  '/api/report/:id': route,
  'POST /premium/*': route,
  '/docs/Guide': route,
})

const matched = (method: string, ...paths: (string | undefined)[]) =>
  findRoute(routes, method, pathVariants(...paths))?.key

describe('route matching fails closed (x402-v2.md §5 items 1–3)', () => {
  test.each([
    ['GET', '/paid', 'GET /paid'],
    ['HEAD', '/paid', 'GET /paid'],
    ['GET', '/PAID', 'GET /paid'],
    ['GET', '/Paid/', 'GET /paid'],
    ['GET', '/paid/', 'GET /paid'],
    ['GET', '//paid', 'GET /paid'],
    ['GET', '/paid//', 'GET /paid'],
    ['GET', '/./paid', 'GET /paid'],
    ['GET', '/free/../paid', 'GET /paid'],
    ['GET', '/free/%2e%2e/paid', 'GET /paid'],
    ['GET', '/free/%2E%2E%2Fpaid', 'GET /paid'],
    ['GET', '/%70aid', 'GET /paid'],
    ['GET', '/paid%2F', 'GET /paid'],
    ['GET', '/paid%5C', 'GET /paid'],
    ['GET', '/paid\\', 'GET /paid'],
    ['GET', '\\paid', 'GET /paid'],
    ['GET', '/paid?x=1', 'GET /paid'],
    ['GET', '/x%2F..%2Fpaid', 'GET /paid'],
    ['GET', '/x%252F..%252Fpaid', 'GET /paid'],
    ['GET', '/api/report/1', '/api/report/:id'],
    ['GET', '/api/report/a%2Fb', '/api/report/:id'],
    ['GET', '/api/report/a%252Fb', '/api/report/:id'],
    ['GET', '/api/report/a%5Cb', '/api/report/:id'],
    // Only the raw target shows this one: URL parsing turns `\` into `/` (so does the framework, then).
    ['GET', '/api/report/a\\b', '/api/report/:id', 'raw only'],
    ['GET', '/API/Report/1/', '/api/report/:id'],
    ['GET', '/api//report/1', '/api/report/:id'],
    ['GET', '/api/report/%', '/api/report/:id'],
    ['GET', '/api/report/%E0%A4%A', '/api/report/:id'],
    ['GET', '/%61pi/report/%zz', '/api/report/:id'],
    ['POST', '/premium', 'POST /premium/*'],
    ['POST', '/premium/', 'POST /premium/*'],
    ['POST', '/premium/a/b/c', 'POST /premium/*'],
    ['POST', '/PREMIUM%2Fa', 'POST /premium/*'],
    ['POST', '/premium%252Fa', 'POST /premium/*'],
    ['POST', '/free/..%5Cpremium', 'POST /premium/*'],
    ['GET', '/docs/guide', '/docs/Guide'],
    ...['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [
      m,
      '/api/report/7',
      '/api/report/:id',
    ]),
  ])('%s %s is paid by %s', (method, path, key, rawOnly?: string) => {
    // As the adapter sees it after URL parsing, and as the raw request target.
    const parsed = new URL(`http://localhost${path}`).pathname
    if (!rawOnly) expect(matched(method, parsed)).toBe(key)
    expect(matched(method, path, parsed)).toBe(key)
  })

  test.each([
    ['POST', '/paid'],
    ['GET', '/premium/a'],
    ['GET', '/pai'],
    ['GET', '/paidx'],
    ['POST', '/premiumx'],
    ['GET', '/api/report'],
    ['GET', '/api/report/1/2'],
    ['GET', '/'],
  ])('%s %s is free', (method, path) => {
    expect(matched(method, path, new URL(`http://localhost${path}`).pathname)).toBeUndefined()
  })

  test('uses the first route in config order', () => {
    const ordered = compileRoutes({ '/a/:x': route, '/a/b': route })
    expect(findRoute(ordered, 'GET', pathVariants('/a/b'))?.key).toBe('/a/:x')
  })
})

describe('compileRoutes', () => {
  test.each([
    ['paid', /expected "METHOD \/path" or "\/path"/],
    ['FETCH /x', /unknown method FETCH/],
    ['/a/*/b', /only allowed as the last segment/],
    ['/a/b*', /must be a whole segment/],
  ])('rejects %j', (key, message) => {
    let error: unknown
    try {
      compileRoutes({ [key]: route })
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain(JSON.stringify(key))
  })

  test('reads lower-case methods and keys without a method', () => {
    const [a, b] = compileRoutes({ 'get /x': route, '/y': route })
    expect(a?.method).toBe('GET')
    expect(b?.method).toBeUndefined()
  })
})
