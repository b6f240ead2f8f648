import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { ResourceServer, RoutesConfig } from '@open402/core'
import { paymentMiddleware as expressPayment } from '@open402/express'
import { paymentMiddleware as fastifyPayment } from '@open402/fastify'
import { paymentMiddleware as honoPayment } from '@open402/hono'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SiteRoute } from './site.js'

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

export type AdapterName = 'hono' | 'express' | 'fastify'

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
    let listening: (info: AddressInfo) => void = () => {}
    const ready = new Promise<AddressInfo>((resolve) => {
      listening = resolve
    })
    const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info))
    const { port } = await ready
    return { url: `http://127.0.0.1:${port}`, close: () => closeServer(http as Server) }
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
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}
