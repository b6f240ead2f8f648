import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { FacilitatorClient } from '@open402/core'
import { createFacilitatorApp, type FacilitatorAppOptions } from './create-facilitator-app.js'
import { createDrain } from './http/drain.js'

/** Options of `startFacilitatorServer`. */
export interface FacilitatorServerOptions extends Omit<FacilitatorAppOptions, 'drain'> {
  facilitator: FacilitatorClient
  /** TCP port; 0 (the default) picks a free one. */
  port?: number
  /** Interface to bind; defaults to `127.0.0.1` so a facilitator holding keys is not exposed by accident. */
  host?: string
  /** How long `close()` waits for in-flight requests by default (30 000 ms). */
  shutdownTimeoutMs?: number
}

/** A running facilitator HTTP service. */
export interface FacilitatorServer {
  /** Base URL, e.g. `http://127.0.0.1:4020`, to give `createHttpFacilitatorClient({ url })`. */
  url: string
  /**
   * Shuts down gracefully: stops accepting connections, answers 503 on `/readyz` and on new `/verify` and
   * `/settle` requests, waits for in-flight ones (up to `timeoutMs`), then closes every connection.
   * Resolves `{ drained: false }` if the timeout cut in-flight requests short.
   */
  shutdown(options?: { timeoutMs?: number }): Promise<{ drained: boolean }>
  /** `shutdown()` with the default timeout, resolving once the server is closed. */
  close(): Promise<void>
}

/** How long finished connections get to flush their last response before they are cut. */
const FLUSH_GRACE_MS = 1000

/**
 * Starts the facilitator HTTP service (spec §7) on node and resolves once it is listening.
 *
 * @example
 * const { url, close } = await startFacilitatorServer({ facilitator, port: 4020 })
 */
export async function startFacilitatorServer(options: FacilitatorServerOptions): Promise<FacilitatorServer> {
  const { facilitator, port = 0, host = '127.0.0.1', shutdownTimeoutMs = 30_000, ...appOptions } = options
  const drain = createDrain()
  const app = createFacilitatorApp(facilitator, { ...appOptions, drain })
  const server = serve({ fetch: app.fetch, port, hostname: host }) as Server
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<{ drained: boolean }> | undefined
  const shutdown: FacilitatorServer['shutdown'] = (closeOptions = {}) => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const drained = await drain.drain(closeOptions.timeoutMs ?? shutdownTimeoutMs)
      server.closeIdleConnections()
      const flushed = await Promise.race([
        closed.then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, FLUSH_GRACE_MS, false).unref()),
      ])
      if (!flushed) server.closeAllConnections()
      await closed
      return { drained }
    })()
    return closing
  }
  return {
    url: `http://${urlHost}:${address.port}`,
    shutdown,
    close: () => shutdown().then(() => undefined),
  }
}
