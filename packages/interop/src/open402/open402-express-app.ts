import type { DevnetDescription } from '@open402/devnet'
import { paymentMiddleware } from '@open402/express'
import express, { type Express } from 'express'
import { PAID_BODY, PAID_PATH } from '../paid-route.js'
import { createOpen402ResourceServer, open402Routes } from './open402-resource-server.js'

/** An express app guarded by `@open402/express`, serving the paid `GET /weather`. */
export function createOpen402ExpressApp(devnet: DevnetDescription, facilitatorUrl: string): Express {
  const app = express()
  app.use(
    paymentMiddleware(createOpen402ResourceServer(devnet, facilitatorUrl), { routes: open402Routes(devnet) }),
  )
  app.get(PAID_PATH, (_req, res) => {
    res.json(PAID_BODY)
  })
  return app
}
