import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { describeBodyPricing } from '../../core/test/body-pricing-cases.js'
import { paymentMiddleware } from '../src/index.js'

// express.json() is mounted before the payment middleware, so the price function can read the body.
describeBodyPricing('express', async (server, routes) => {
  const app = express()
  app.use(express.json())
  app.use(paymentMiddleware(server, { routes }))
  app.post('/complete', (req, res) => {
    res.json({ received: req.body })
  })
  const http = await new Promise<Server>((resolve) => {
    const created = app.listen(0, '127.0.0.1', () => resolve(created))
  })
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  }
})
