import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hono } from 'hono'

// A minimal node:http bridge for integration tests (packages/hono has no @hono/node-server dependency):
// each request becomes a Web Request for `app.fetch`, and the response body is written chunk by chunk as
// it is produced, so streamed responses reach the client incrementally.

export interface NodeBridge {
  url: string
  close(): Promise<void>
}

/** Serves `app` on 127.0.0.1 on a free port (GET and HEAD requests; no request bodies). */
export async function serveOverHttp(app: Hono): Promise<NodeBridge> {
  const server = createServer(async (req, res) => {
    try {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value)
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item)
      }
      const response = await app.fetch(
        new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers }),
        { incoming: req },
      )
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.flushHeaders()
      const reader = response.body?.getReader()
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read())
        res.write(chunk.value)
      res.end()
    } catch (error) {
      res.destroy(error instanceof Error ? error : new Error(String(error)))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
