import type { DevnetDescription } from '@open402/devnet'
import { startFacilitatorServer } from '@open402/facilitator'
import { type RunningServer, serveFetch, serveNode } from '../serve.js'
import { createOpen402ExpressApp } from './open402-express-app.js'
import { createOpen402Facilitator } from './open402-facilitator.js'
import { createOpen402HonoApp } from './open402-hono-app.js'

/** Serves the open402 facilitator over HTTP with `@open402/facilitator` on 127.0.0.1. */
export function startOpen402FacilitatorServer(
  devnet: DevnetDescription,
  privateKey: `0x${string}`,
): Promise<RunningServer> {
  return startFacilitatorServer({ facilitator: createOpen402Facilitator(devnet, privateKey) })
}

/** Serves the open402 hono resource server, backed by the facilitator at `facilitatorUrl`. */
export function startOpen402HonoServer(
  devnet: DevnetDescription,
  facilitatorUrl: string,
): Promise<RunningServer> {
  return serveFetch(createOpen402HonoApp(devnet, facilitatorUrl).fetch)
}

/** Serves the open402 express resource server, backed by the facilitator at `facilitatorUrl`. */
export function startOpen402ExpressServer(
  devnet: DevnetDescription,
  facilitatorUrl: string,
): Promise<RunningServer> {
  return serveNode(createOpen402ExpressApp(devnet, facilitatorUrl))
}
