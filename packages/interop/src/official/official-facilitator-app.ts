import type { x402Facilitator } from '@x402/core/facilitator'
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types'
import { Hono } from 'hono'

interface FacilitatorRequestBody {
  paymentPayload?: PaymentPayload
  paymentRequirements?: PaymentRequirements
}

/**
 * A minimal HTTP face for the official `x402Facilitator` (which ships as a library only): `POST /verify`,
 * `POST /settle` and `GET /supported` as in the spec's facilitator API (§7).
 */
export function createOfficialFacilitatorApp(facilitator: x402Facilitator): Hono {
  const app = new Hono()
  app.get('/supported', (c) => c.json(facilitator.getSupported()))
  app.post('/verify', async (c) => {
    const body = await readBody(c.req.raw)
    if (!body) return c.json({ error: 'paymentPayload and paymentRequirements are required' }, 400)
    try {
      return c.json(await facilitator.verify(body.paymentPayload, body.paymentRequirements))
    } catch (error) {
      return c.json({ error: messageOf(error) }, 500)
    }
  })
  app.post('/settle', async (c) => {
    const body = await readBody(c.req.raw)
    if (!body) return c.json({ error: 'paymentPayload and paymentRequirements are required' }, 400)
    try {
      return c.json(await facilitator.settle(body.paymentPayload, body.paymentRequirements))
    } catch (error) {
      return c.json({ error: messageOf(error) }, 500)
    }
  })
  return app
}

async function readBody(
  request: Request,
): Promise<{ paymentPayload: PaymentPayload; paymentRequirements: PaymentRequirements } | undefined> {
  const body = (await request.json().catch(() => undefined)) as FacilitatorRequestBody | undefined
  if (!body?.paymentPayload || !body.paymentRequirements) return undefined
  return { paymentPayload: body.paymentPayload, paymentRequirements: body.paymentRequirements }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
