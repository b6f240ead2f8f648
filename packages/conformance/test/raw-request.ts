import { request } from 'node:http'

/** A response read in full, with Web `Headers` for case-insensitive lookups. */
export interface RawResponse {
  status: number
  headers: Headers
  text: string
}

/**
 * Sends one request with the target exactly as given (no URL normalisation, unlike `fetch`): `//paid`,
 * `/./paid`, `/x/../paid` and malformed `%` reach the server unchanged.
 */
export function rawRequest(
  base: string,
  target: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: target,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const headers = new Headers()
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string)
          }
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') })
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}
