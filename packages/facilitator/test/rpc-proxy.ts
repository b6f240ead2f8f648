import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the proxy does with one JSON-RPC call: forward it (after `delayMs`) or answer an HTTP status. */
export type ProxyRule = (method: string, seen: number) => { delayMs?: number; status?: number } | undefined

/**
 * A JSON-RPC proxy in front of a devnet node that counts calls by method and can slow or fail them, to
 * test retries, send-once and graceful shutdown against a real chain.
 */
export async function startRpcProxy(target: string, rule: ProxyRule = () => undefined) {
  const calls = new Map<string, number>()
  const listeners: ((method: string) => void)[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const method = String((JSON.parse(text) as { method?: unknown }).method)
    const seen = (calls.get(method) ?? 0) + 1
    calls.set(method, seen)
    for (const listener of listeners) listener(method)
    const action = rule(method, seen) ?? {}
    if (action.delayMs) await new Promise((resolve) => setTimeout(resolve, action.delayMs))
    if (action.status) {
      response.writeHead(action.status, { 'content-type': 'text/plain' }).end('unavailable')
      return
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    })
    response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls: (method: string) => calls.get(method) ?? 0,
    /** Resolves when the proxy receives a call of `method`. */
    seen: (method: string) =>
      new Promise<void>((resolve) => {
        listeners.push((m) => m === method && resolve())
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A local port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
