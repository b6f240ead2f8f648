import Fastify from 'fastify'
import { describeBodyPricing } from '../../core/test/body-pricing-cases.js'
import { paymentMiddleware } from './payment-middleware.js'

describeBodyPricing('fastify', async (server, routes) => {
  const app = Fastify()
  await app.register(paymentMiddleware(server, { routes }))
  app.post('/complete', async (request) => ({ received: request.body }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
})
