import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { ResourceServer, RoutesConfig } from '@open402/core'
import { paymentMiddleware as expressPayment } from '@open402/express'
import { paymentMiddleware as fastifyPayment } from '@open402/fastify'
import { paymentMiddleware as honoPayment } from '@open402/hono'
import { createPaymentWrapper } from '@open402/next'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SiteAnswer, SiteRoute } from './site.js'

/** A running adapter: its base URL and how to stop it. */
export interface ServedSite {
  url: string
  close(): Promise<void>
}

/** What every adapter is given: the same resource server, paid routes and handlers. */
export interface SiteSetup {
  server: ResourceServer
  routes: RoutesConfig
  handlers: SiteRoute[]
}

export type AdapterName = 'hono' | 'express' | 'fastify' | 'next'

/** Starts `setup` behind real HTTP on 127.0.0.1 with the named adapter. */
export const ADAPTERS: Record<AdapterName, (setup: SiteSetup) => Promise<ServedSite>> = {
  async hono({ server, routes, handlers }) {
    const app = new Hono()
    app.use(honoPayment(server, { routes }))
    for (const route of handlers) {
      app.get(route.path, (c) => {
        const { status, body, headers } = route.answer(c.req.param())
        return c.json(body, status as ContentfulStatusCode, headers)
      })
    }
    app.onError((_error, c) => c.text('Internal Server Error', 500))
    return serveFetch(app.fetch)
  },

  async express({ server, routes, handlers }) {
    const app = express()
    app.use(expressPayment(server, { routes }))
    for (const route of handlers) {
      app.get(route.path, (req, res) => {
        const { status, body, headers } = route.answer(req.params as Record<string, string>)
        res
          .status(status)
          .set(headers ?? {})
          .json(body)
      })
    }
    const http = await new Promise<Server>((resolve) => {
      const created = app.listen(0, '127.0.0.1', () => resolve(created))
    })
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => closeServer(http) }
  },

  async fastify({ server, routes, handlers }) {
    const app = Fastify()
    await app.register(fastifyPayment(server, { routes }))
    for (const route of handlers) {
      app.get(route.path, async (request, reply) => {
        const { status, body, headers } = route.answer(request.params as Record<string, string>)
        return reply
          .code(status)
          .headers(headers ?? {})
          .send(body)
      })
    }
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    return { url, close: () => app.close() }
  },

  async next({ server, routes, handlers }) {
    // Route handlers as Next's App Router calls them, with a paid one wrapped by withPayment under the
    // config of its `GET /path` route; a small router stands in for Next's file-system routing.
    const withPayment = createPaymentWrapper(server)
    const modules = handlers.map((route): RouteModule => {
      const handler = async (_request: Request, context: NextContext) =>
        json(route.answer(await context.params))
      const config = routes[`GET ${route.path}`]
      if (!config) return { path: route.path, GET: handler }
      const GET = withPayment(config, handler)
      return { path: route.path, GET, OPTIONS: GET }
    })
    return serveFetch(appRouter(modules))
  },
}

interface NextContext {
  params: Promise<Record<string, string>>
}

/** What an `app/…/route.ts` file exports, and the path its folder stands for (`[name]` written `:name`). */
interface RouteModule {
  path: string
  GET: (request: Request, context: NextContext) => Promise<Response>
  OPTIONS?: (request: Request, context: NextContext) => Promise<Response>
}

function json({ status, body, headers }: SiteAnswer): Response {
  return Response.json(body, { status, headers: headers ?? {} })
}

/**
 * Dispatches to route modules the way Next does (HEAD runs GET, an unexported OPTIONS answers 204, a
 * throw answers 500), matching leniently (decoded, case-insensitive, empty segments dropped) so that
 * as many odd targets as possible reach a paid handler, whose wrapper must then ask for payment.
 */
function appRouter(modules: RouteModule[]): (request: Request) => Promise<Response> {
  return async (request) => {
    let segments: string[]
    try {
      segments = decodeURIComponent(new URL(request.url).pathname)
        .split('/')
        .filter((segment) => segment !== '')
    } catch {
      return new Response('Bad Request', { status: 400 })
    }
    for (const module of modules) {
      const pattern = module.path.split('/').filter((segment) => segment !== '')
      if (pattern.length !== segments.length) continue
      const params: Record<string, string> = {}
      const matches = pattern.every((part, index) => {
        const segment = segments[index] as string
        if (part.startsWith(':')) params[part.slice(1)] = segment
        return part.startsWith(':') || part.toLowerCase() === segment.toLowerCase()
      })
      if (!matches) continue
      const method = request.method === 'HEAD' ? 'GET' : request.method
      const handler = method === 'GET' ? module.GET : method === 'OPTIONS' ? module.OPTIONS : undefined
      if (!handler) return new Response(null, { status: method === 'OPTIONS' ? 204 : 405 })
      try {
        return await handler(request, { params: Promise.resolve(params) })
      } catch {
        return new Response(null, { status: 500 })
      }
    }
    return new Response('Not Found', { status: 404 })
  }
}

/** Serves a Web fetch handler over node:http on 127.0.0.1 (@hono/node-server). */
async function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<ServedSite> {
  let listening: (info: AddressInfo) => void = () => {}
  const ready = new Promise<AddressInfo>((resolve) => {
    listening = resolve
  })
  const http = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info))
  const { port } = await ready
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(http as Server) }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}
