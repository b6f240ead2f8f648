import type { FacilitatorClient, FacilitatorRequest } from '@open402/core'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { parseFacilitatorRequest } from './parse-facilitator-request.js'

/** Options of the facilitator HTTP app. */
export interface FacilitatorAppOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger bodies get 413. */
  maxBodyBytes?: number
  /** Where unexpected exceptions are logged (default `console`); they never reach the wire. */
  logger?: Pick<Console, 'error'>
}

/** Default request body limit: a payment is a few KiB at most. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

type Operation = 'verify' | 'settle'

const UNEXPECTED_REASON = { verify: 'unexpected_verify_error', settle: 'unexpected_settle_error' } as const

/**
 * Serves a `FacilitatorClient` over the facilitator HTTP API (spec §7): `POST /verify`, `POST /settle`,
 * `GET /supported`, plus `GET /healthz`. Bodies are validated; errors are JSON `{ error, message }`.
 *
 * @example
 * const app = createFacilitatorApp(createFacilitator({ schemes: [exactEvmFacilitator({ signer, networks })] }))
 * serve({ fetch: app.fetch, port: 4020, hostname: '127.0.0.1' })
 */
export function createFacilitatorApp(
  facilitator: FacilitatorClient,
  options: FacilitatorAppOptions = {},
): Hono {
  const logger = options.logger ?? console
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const app = new Hono()

  const limit = bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        { error: 'invalid_request_body', message: `body is larger than the limit of ${maxSize} bytes` },
        413,
      ),
  })

  const handle = (operation: Operation, run: (request: FacilitatorRequest) => Promise<unknown>) =>
    app.post(`/${operation}`, limit, async (c) => {
      const parsed = parseFacilitatorRequest(await c.req.text())
      if (!parsed.ok) return c.json({ error: 'invalid_request_body', message: parsed.message }, 400)
      try {
        return c.json(await run(parsed.request))
      } catch (error) {
        logger.error(`open402 facilitator: ${operation} failed unexpectedly`, error)
        const reason = UNEXPECTED_REASON[operation]
        return c.json({ error: reason, message: `the facilitator failed to ${operation} the payment` }, 500)
      }
    })

  handle('verify', (request) => facilitator.verify(request.paymentPayload, request.paymentRequirements))
  handle('settle', (request) => facilitator.settle(request.paymentPayload, request.paymentRequirements))

  app.get('/supported', async (c) => {
    try {
      return c.json(await facilitator.supported())
    } catch (error) {
      logger.error('open402 facilitator: supported failed unexpectedly', error)
      return c.json(
        { error: 'facilitator_unavailable', message: 'the facilitator failed to list its kinds' },
        500,
      )
    }
  })

  app.get('/healthz', (c) => c.json({ ok: true }))

  app.notFound((c) =>
    c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404),
  )

  app.onError((error, c) => {
    logger.error('open402 facilitator: request failed unexpectedly', error)
    return c.json(
      { error: 'facilitator_unavailable', message: 'the facilitator failed to handle the request' },
      500,
    )
  })

  return app
}
