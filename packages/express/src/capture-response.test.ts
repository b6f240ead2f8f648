import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { captureResponse } from './capture-response.js'
import { sendWebResponse } from './send-web-response.js'

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

/** Serves one handler whose output is captured, transformed by `settle`, then sent for real. */
async function serveCaptured(
  handler: (res: ServerResponse) => void,
  settle: (response: Response) => Promise<Response>,
): Promise<{ url: string; seen: Response[] }> {
  const seen: Response[] = []
  const created = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { ended } = captureResponse(res)
    ended.then(async (captured) => {
      const held = captured.toWebResponse()
      seen.push(held.clone())
      const final = await settle(held)
      captured.restore()
      await sendWebResponse(res, final, req.method ?? 'GET')
    })
    handler(res)
  })
  server = created
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(created.address() as AddressInfo).port}`, seen }
}

const addHeader = async (response: Response) => {
  const headers = new Headers(response.headers)
  headers.set('payment-response', 'settled')
  return new Response(response.body, { status: response.status, headers })
}

describe('captureResponse', () => {
  it('holds writeHead, several writes and end, then sends them with the settlement header', async () => {
    const { url, seen } = await serveCaptured((res) => {
      res.setHeader('x-one', '1')
      res.writeHead(201, 'Created', { 'content-type': 'text/plain', 'x-two': '2' })
      res.write('hello ')
      res.write(Buffer.from('paid '), () => {})
      res.end('world', 'utf8')
    }, addHeader)
    const response = await fetch(url)
    expect(response.status).toBe(201)
    expect(await response.text()).toBe('hello paid world')
    expect(response.headers.get('x-one')).toBe('1')
    expect(response.headers.get('x-two')).toBe('2')
    expect(response.headers.get('payment-response')).toBe('settled')
    expect(response.headers.get('content-length')).toBe('16')
    expect(seen[0]?.status).toBe(201)
  })

  it('replaces every header of the handler when settlement answers with another response', async () => {
    const { url } = await serveCaptured(
      (res) => {
        res.setHeader('set-cookie', ['session=granted'])
        res.end('secret')
      },
      async () =>
        new Response('{"error":"settlement_failed"}', { status: 402, headers: { 'x-reason': 'failed' } }),
    )
    const response = await fetch(url)
    expect(response.status).toBe(402)
    expect(await response.text()).toBe('{"error":"settlement_failed"}')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(response.headers.get('x-reason')).toBe('failed')
  })

  it('keeps several set-cookie headers apart', async () => {
    const { url } = await serveCaptured((res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.end()
    }, addHeader)
    const response = await fetch(url)
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })

  it('sends nothing to the socket before the handler ends', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const { url } = await serveCaptured((res) => {
      res.writeHead(200)
      res.flushHeaders()
      res.write('partial')
      gate.then(() => res.end(' rest'))
    }, addHeader)
    let headersArrived = false
    const pending = fetch(url).then((response) => {
      headersArrived = true
      return response
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(headersArrived).toBe(false)
    release()
    const response = await pending
    expect(await response.text()).toBe('partial rest')
  })
})
