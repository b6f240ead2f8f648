import type { DevnetDescription } from '@open402/devnet'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { PAID_BODY, PAID_PATH } from '../paid-route.js'
import { createOpen402ResourceServer, open402Routes } from './open402-resource-server.js'

/** A hono app guarded by `@open402/hono`, serving the paid `GET /weather`. */
export function createOpen402HonoApp(devnet: DevnetDescription, facilitatorUrl: string): Hono {
  const app = new Hono()
  app.use(
    paymentMiddleware(createOpen402ResourceServer(devnet, facilitatorUrl), { routes: open402Routes(devnet) }),
  )
  app.get(PAID_PATH, (c) => c.json(PAID_BODY))
  return app
}
