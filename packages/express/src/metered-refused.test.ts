import { createResourceServer, type FacilitatorClient, isX402Error } from '@open402/core'
import { exactEvmServer } from '@open402/evm/server'
import { expect, test } from 'vitest'
import { paymentMiddleware } from './payment-middleware.js'

// A startup check: no facilitator is asked anything.
const unused = () => Promise.reject(new Error('not called at startup'))
const facilitator: FacilitatorClient = { supported: unused, verify: unused, settle: unused }

test('a metered route is refused at startup: this adapter buffers the handler response', () => {
  const server = createResourceServer({ facilitator, schemes: [exactEvmServer()] })
  const accepts = {
    scheme: 'exact',
    network: 'eip155:8453',
    price: '$0.01',
    payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  } as const
  let error: unknown
  try {
    paymentMiddleware(server, {
      routes: { 'GET /feed': { accepts, settlement: 'metered', meter: { per: 'event', price: '$0.001' } } },
    })
  } catch (caught) {
    error = caught
  }
  expect(isX402Error(error, 'invalid_config')).toBe(true)
  expect((error as Error).message).toMatch(/route "GET \/feed": metered streams need an adapter that streams/)
  // The same route without metering is accepted.
  expect(typeof paymentMiddleware(server, { routes: { 'GET /feed': { accepts } } })).toBe('function')
})
