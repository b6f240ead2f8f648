import { type ServerResponse, STATUS_CODES } from 'node:http'

/**
 * Writes a Web `Response` to a node response for real: status, every header (several `set-cookie`
 * included) and the body, replacing any header the handler had set.
 */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  method: string,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.statusCode = response.status
  res.statusMessage = response.statusText || (STATUS_CODES[response.status] ?? '')
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (method === 'HEAD') {
    res.end()
    return
  }
  res.removeHeader('transfer-encoding')
  if (response.status !== 204 && response.status !== 304) res.setHeader('content-length', body.length)
  res.end(body)
}
