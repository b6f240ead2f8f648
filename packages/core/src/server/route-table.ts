import { X402Error } from '../errors/x402-error.js'
import type { RouteConfig, RoutesConfig } from '../http/types.js'
import { decodeTolerant } from './path-variants.js'

const PARAM = Symbol('param')
const WILDCARD = Symbol('wildcard')
type Segment = string | typeof PARAM | typeof WILDCARD

/** A paid route compiled once at startup. */
export interface CompiledRoute {
  key: string
  /** Upper-case method, or undefined for every method. */
  method: string | undefined
  segments: Segment[]
  config: RouteConfig
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY'])

/** Parses `"METHOD /path"` / `"/path"` keys; throws `X402Error('invalid_config')` naming the key. */
export function compileRoutes(routes: RoutesConfig): CompiledRoute[] {
  return Object.entries(routes).map(([key, config]) => {
    const match = /^\s*(?:([A-Za-z]+)\s+)?(\/\S*)\s*$/.exec(key)
    if (!match) {
      throw new X402Error(
        'invalid_config',
        `route ${JSON.stringify(key)}: expected "METHOD /path" or "/path"`,
      )
    }
    const method = match[1]?.toUpperCase()
    if (method !== undefined && !METHODS.has(method)) {
      throw new X402Error('invalid_config', `route ${JSON.stringify(key)}: unknown method ${method}`)
    }
    const parts = (match[2] ?? '/').split('/').filter((part) => part !== '')
    const segments = parts.map((part, index): Segment => {
      if (part === '*') {
        if (index !== parts.length - 1) {
          throw new X402Error(
            'invalid_config',
            `route ${JSON.stringify(key)}: "*" is only allowed as the last segment`,
          )
        }
        return WILDCARD
      }
      if (part.startsWith(':') && part.length > 1) return PARAM
      if (part.includes('*')) {
        throw new X402Error('invalid_config', `route ${JSON.stringify(key)}: "*" must be a whole segment`)
      }
      return decodeTolerant(part).toLowerCase()
    })
    return { key, method, segments, config }
  })
}

function matchesSegments(pattern: Segment[], segments: string[]): boolean {
  const wildcard = pattern[pattern.length - 1] === WILDCARD
  const fixed = wildcard ? pattern.length - 1 : pattern.length
  // A final `*` matches zero or more segments: `/api/*` covers `/api` too (fail closed).
  if (wildcard ? segments.length < fixed : segments.length !== fixed) return false
  for (let i = 0; i < fixed; i++) {
    const expected = pattern[i]
    if (expected !== PARAM && expected !== segments[i]) return false
  }
  return true
}

/** Whether a route declared for `routeMethod` serves `method` (GET routes also serve HEAD). */
export function methodMatches(routeMethod: string | undefined, method: string): boolean {
  return routeMethod === undefined || routeMethod === method || (routeMethod === 'GET' && method === 'HEAD')
}

/** The first route (in config order) whose method matches and that any path variant matches. */
export function findRoute(
  routes: CompiledRoute[],
  method: string,
  variants: string[][],
): CompiledRoute | undefined {
  for (const route of routes) {
    if (!methodMatches(route.method, method)) continue
    for (const variant of variants) if (matchesSegments(route.segments, variant)) return route
  }
  return undefined
}
