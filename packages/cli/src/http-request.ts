import { CliError, usageError } from './cli-error.js'

/** The request options shared by `pay` and `inspect`: `-X`, `-H` and `-d`, as curl spells them. */
export const REQUEST_OPTIONS = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
} as const

export const REQUEST_USAGE = `  -X, --method M           HTTP method (default GET, or POST with --data)
  -H, --header 'K: V'      a request header; repeat for several
  -d, --data BODY          a request body`

/** A request from the URL argument and the request options; throws a usage error for a bad URL. */
export function buildRequest(
  url: string | undefined,
  values: { method?: string; header?: string[]; data?: string },
): { url: string; init: RequestInit } {
  if (url === undefined) throw usageError('a URL is required')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw usageError(`not a URL: ${url} (expected http://… or https://…)`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`not an http(s) URL: ${url}`)
  }
  const headers = new Headers()
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':')
    if (colon <= 0) throw usageError(`--header takes 'Name: value', got ${header}`)
    headers.append(header.slice(0, colon).trim(), header.slice(colon + 1).trim())
  }
  const method = (values.method ?? (values.data === undefined ? 'GET' : 'POST')).toUpperCase()
  return {
    url: parsed.href,
    init: { method, headers, ...(values.data === undefined ? {} : { body: values.data }) },
  }
}

/** `fetch`, with a network failure turned into a one-line error. */
export async function fetchOrExplain(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await doFetch(url, init)
  } catch (error) {
    if (error instanceof CliError) throw error
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    if (error instanceof Error && error.name === 'X402Error') throw error
    throw new CliError(`${init.method ?? 'GET'} ${url} failed: ${reason}`)
  }
}
