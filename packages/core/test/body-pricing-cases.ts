// Shared cases for adapters that build the Web Request from a body their framework parsed (express,
// fastify): a price computed from the JSON body is in the 402, the paid retry is checked against the same
// body, and a retry whose body asks for more gets a fresh 402 instead of the content. Over real HTTP.
import { describe, expect, test } from 'vitest'
import { createPaymentClient } from '../src/client/create-payment-client.js'
import { createFacilitator } from '../src/facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
} from '../src/http/payment-headers.js'
import type { RoutesConfig } from '../src/http/types.js'
import { createResourceServer } from '../src/server/create-resource-server.js'
import type { ResourceServer } from '../src/server/resource-server.js'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from './cash-scheme.js'

/** What an adapter under test serves: `routes` behind its payment middleware, and `POST /complete`
 * answering `{ received: <parsed body> }` with status 200. */
export type ServeBodyPricedSite = (
  server: ResourceServer,
  routes: RoutesConfig,
) => Promise<{ url: string; close(): Promise<void> }>

/** One cent per requested token, read from the JSON body. */
const ROUTES: RoutesConfig = {
  'POST /complete': {
    accepts: {
      scheme: 'cash',
      network: CASH_NETWORK,
      payTo: 'shop',
      price: async (request) => {
        const { maxTokens } = (await request.clone().json()) as { maxTokens: number }
        return { amount: String(maxTokens), asset: 'USD' }
      },
    },
  },
}

export function describeBodyPricing(adapter: string, serve: ServeBodyPricedSite): void {
  describe(`${adapter}: prices computed from the request body`, () => {
    test('the 402 and the paid retry use the price of the body; a bigger body needs a new payment', async () => {
      const facilitator = cashFacilitator({ alice: 1000 })
      const server = createResourceServer({
        facilitator: createFacilitator({ schemes: [facilitator] }),
        schemes: [cashServer()],
      })
      const site = await serve(server, ROUTES)
      try {
        const post = (body: unknown, headers: Record<string, string> = {}) =>
          fetch(`${site.url}/complete`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(body),
          })
        const unpaid = await post({ maxTokens: 7 })
        expect(unpaid.status).toBe(402)
        const required = decodePaymentRequired(unpaid.headers.get('PAYMENT-REQUIRED') ?? '')
        expect(required.accepts[0]?.amount).toBe('7')

        const client = createPaymentClient({ schemes: [cashClient('alice')] })
        const signature = encodePaymentSignature(await client.createPaymentPayload(required))

        // The same payment with a body asking for more: a fresh 402 at the new price, nothing settled.
        const more = await post({ maxTokens: 9 }, { 'PAYMENT-SIGNATURE': signature })
        expect(more.status).toBe(402)
        expect(decodePaymentRequired(more.headers.get('PAYMENT-REQUIRED') ?? '').accepts[0]?.amount).toBe('9')
        expect(facilitator.settled).toHaveLength(0)

        const paid = await post({ maxTokens: 7 }, { 'PAYMENT-SIGNATURE': signature })
        expect(paid.status).toBe(200)
        expect(await paid.json()).toEqual({ received: { maxTokens: 7 } })
        expect(decodePaymentResponse(paid.headers.get('PAYMENT-RESPONSE') ?? '').success).toBe(true)
        expect(facilitator.balances.get('alice')).toBe(993n)
      } finally {
        await site.close()
      }
    })
  })
}
