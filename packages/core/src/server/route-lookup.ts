import { pathVariants } from './path-variants.js'
import { type CompiledRoute, findRoute } from './route-table.js'

/** Finds the paid route serving `method` for a request's raw target and URL (undefined: not paid). */
export type RouteLookup = (
  method: string,
  rawPath: string | undefined,
  url: string,
) => CompiledRoute | undefined

const MAX_CACHED_LOOKUPS = 512

/**
 * Wraps {@link findRoute} over every {@link pathVariants} reading of a request, remembering the answer
 * per (method, raw target, URL path): the lookup is a pure function of those three strings, so a path
 * seen before costs one map read instead of re-deriving its variants. The memo is bounded (cleared when
 * full), so unique attacker-chosen paths cost no more than without it.
 */
export function createRouteLookup(routes: CompiledRoute[]): RouteLookup {
  const memo = new Map<string, CompiledRoute | null>()
  return (method, rawPath, url) => {
    const path = urlPath(url)
    // `\n` cannot occur in a method, a request target or a serialised URL; `\0` marks "no raw target".
    const key = `${method}\n${rawPath ?? '\0'}\n${path}`
    const known = memo.get(key)
    if (known !== undefined) return known ?? undefined
    const route = findRoute(routes, method, pathVariants(rawPath, path))
    if (memo.size >= MAX_CACHED_LOOKUPS) memo.clear()
    memo.set(key, route ?? null)
    return route
  }
}

// A serialised http(s) URL: scheme, `//`, a host without `/?#\`, then the path up to `?` or `#`.
const HTTP_URL = /^https?:\/\/[^/?#\\]*(\/[^?#]*)?/i

/**
 * The path of an absolute URL as `new URL(url).pathname` gives it, read without building a URL object
 * for the serialised http(s) URLs that `Request.url` holds; anything else goes through `URL`.
 */
export function urlPath(url: string): string {
  const match = HTTP_URL.exec(url)
  if (match) {
    const path = match[1]
    if (path === undefined) return '/'
    if (!NEEDS_URL.test(path)) return path
  }
  return new URL(url).pathname
}

// Characters (or dot segments) that `URL` would percent-encode, fold or resolve: leave those to `URL`.
const NEEDS_URL = /[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]|\/\.\.?(?:\/|$)|%2e/i
