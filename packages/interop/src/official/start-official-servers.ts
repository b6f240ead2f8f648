import type { DevnetDescription } from '@open402/devnet'
import { type RunningServer, serveFetch } from '../serve.js'
import { createOfficialFacilitator } from './official-facilitator.js'
import { createOfficialFacilitatorApp } from './official-facilitator-app.js'
import { createOfficialResourceServerApp } from './official-resource-server.js'

/** Serves the official facilitator (signing with `privateKey`) over HTTP on 127.0.0.1. */
export function startOfficialFacilitatorServer(
  devnet: DevnetDescription,
  privateKey: `0x${string}`,
): Promise<RunningServer> {
  return serveFetch(createOfficialFacilitatorApp(createOfficialFacilitator(devnet, privateKey)).fetch)
}

/** Serves the official `@x402/hono` resource server, backed by the facilitator at `facilitatorUrl`. */
export function startOfficialResourceServer(
  devnet: DevnetDescription,
  facilitatorUrl: string,
): Promise<RunningServer> {
  return serveFetch(createOfficialResourceServerApp(devnet, facilitatorUrl).fetch)
}
