import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { FacilitatorClient } from '@open402/core'
import { createFacilitatorApp, type FacilitatorAppOptions } from './create-facilitator-app.js'

/** Options of `startFacilitatorServer`. */
export interface FacilitatorServerOptions extends FacilitatorAppOptions {
  facilitator: FacilitatorClient
  /** TCP port; 0 (the default) picks a free one. */
  port?: number
  /** Interface to bind; defaults to `127.0.0.1` so a facilitator holding keys is not exposed by accident. */
  host?: string
}

/** A running facilitator HTTP service. */
export interface FacilitatorServer {
  /** Base URL, e.g. `http://127.0.0.1:4020`, to give `createHttpFacilitatorClient({ url })`. */
  url: string
  /** Stops accepting connections, closes idle ones and resolves when the server is closed. */
  close(): Promise<void>
}

/**
 * Starts the facilitator HTTP service (spec §7) on node and resolves once it is listening.
 *
 * @example
 * const { url, close } = await startFacilitatorServer({ facilitator, port: 4020 })
 */
export async function startFacilitatorServer(options: FacilitatorServerOptions): Promise<FacilitatorServer> {
  const { facilitator, port = 0, host = '127.0.0.1', ...appOptions } = options
  const app = createFacilitatorApp(facilitator, appOptions)
  const server = serve({ fetch: app.fetch, port, hostname: host })
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      }),
  }
}
