import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'

/** A server listening on 127.0.0.1 on a free port. */
export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string
  close(): Promise<void>
}

/** Serves a Web `fetch` handler (a hono app's `app.fetch`) on 127.0.0.1, port 0. */
export function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<RunningServer> {
  return serveNode(getRequestListener(fetch))
}

/** Serves a node request listener (an express app) on 127.0.0.1, port 0. */
export function serveNode(listener: RequestListener): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 30_000 }, listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server) })
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}
