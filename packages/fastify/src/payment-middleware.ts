import { Readable } from 'node:stream'
import {
  bodyFromParsed,
  createHttpPaymentHandler,
  type HttpPaymentHandlerOptions,
  type ResourceServer,
} from '@open402/core'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

/** Options of {@link paymentMiddleware}: the paid routes and CORS settings, as in every open402 adapter. */
export type PaymentMiddlewareOptions = HttpPaymentHandlerOptions

type Settle = (response: Response) => Promise<Response>

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * Fastify 5 plugin that asks for x402 payment on the configured routes: unpaid requests get core's 402
 * with `PAYMENT-REQUIRED` from a `preValidation` hook (the body is parsed by then, for dynamic prices); after a verified payment the route runs, and an
 * `onSend` hook settles and sends its reply with `PAYMENT-RESPONSE`, or the 402 instead when settlement
 * fails (transports-v2/http.md). It is not encapsulated: registered at the root, it covers every route.
 * @example await app.register(paymentMiddleware(server, { routes: { 'GET /weather': { accepts } } }))
 */
export function paymentMiddleware(
  server: ResourceServer,
  options: PaymentMiddlewareOptions,
): FastifyPluginAsync {
  // The handler's output is captured whole before it is settled: no metered streams here.
  const handler = createHttpPaymentHandler(server, { ...options, buffersResponses: true })
  const pending = new WeakMap<FastifyRequest, Settle>()

  const plugin = async (app: FastifyInstance) => {
    // preValidation: after fastify parsed the body (prices may read it), before schema validation.
    app.addHook('preValidation', async (request, reply) => {
      const outcome = await handler.handle(toWebRequest(request), { rawPath: request.raw.url })
      if (outcome.kind === 'free') return
      if (outcome.kind === 'paid') {
        pending.set(request, outcome.settle)
        return
      }
      const { response } = outcome
      applyHead(reply, response)
      const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer())
      return reply.send(body)
    })

    app.addHook('onSend', async (request, reply, payload) => {
      const settle = pending.get(request)
      if (!settle) return payload
      pending.delete(request)
      const held = toWebResponse(reply, payload)
      // The handler's headers are dropped now: only what settle returns is sent, even if it throws.
      for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name)
      const final = await settle(held)
      applyHead(reply, final)
      // Settled as is: keep fastify's own string/Buffer payload (and its content-length).
      const unchanged = final === held && (typeof payload === 'string' || Buffer.isBuffer(payload))
      return unchanged ? payload : final.body
    })
  }
  return Object.assign(plugin, {
    // What fastify-plugin sets: the hooks apply to the registering context, not a child one.
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@open402/fastify',
  })
}

/** A Web `Request` with the method, absolute URL, headers and parsed body of `request`. */
function toWebRequest(request: FastifyRequest): Request {
  const body = bodyFromParsed(request.method, request.body)
  const headers = new Headers()
  const raw = request.raw.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.startsWith(':')) continue // HTTP/2 pseudo-headers
    headers.append(name, raw[i + 1] as string)
  }
  if (body !== undefined) {
    headers.delete('content-length')
    headers.delete('transfer-encoding')
  }
  const target = request.raw.url ?? '/'
  const url = target.startsWith('/') ? `${request.protocol}://${request.host}${target}` : target
  return new Request(url, { method: request.method, headers, body })
}

/** The reply as a Web `Response`: its status and headers, and the serialized payload of `onSend`. */
function toWebResponse(reply: FastifyReply, payload: unknown): Response {
  const headers = new Headers()
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item))
  }
  if (payload instanceof Response) {
    // fastify would apply the returned Response's status and headers over the reply's.
    for (const [name, value] of payload.headers) {
      if (name === 'set-cookie') headers.append(name, value)
      else headers.set(name, value)
    }
    return new Response(payload.body, { status: payload.status, headers })
  }
  const status = reply.statusCode
  return new Response(NULL_BODY_STATUSES.has(status) ? null : toBody(payload), { status, headers })
}

function toBody(payload: unknown): BodyInit | null {
  if (payload === null || payload === undefined) return null
  if (typeof payload === 'string') return payload
  if (payload instanceof Uint8Array) return new Uint8Array(payload)
  if (payload instanceof ReadableStream) return payload
  if (payload instanceof Readable) return Readable.toWeb(payload) as ReadableStream<Uint8Array>
  return String(payload)
}

/** Sets the reply's status and every header of `response` (several `set-cookie` kept apart). */
function applyHead(reply: FastifyReply, response: Response): void {
  reply.code(response.status)
  for (const [name, value] of response.headers) reply.header(name, value)
}
