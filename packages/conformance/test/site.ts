import type { RoutesConfig } from '@open402/core'

/** What a route handler of the conformance site answers, in terms every framework can express. */
export interface SiteAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** One route of the conformance site: the same path syntax (`:name`) works in hono, express and fastify. */
export interface SiteRoute {
  path: string
  /** Answers the request; a throw is left to the framework's own error handling. */
  answer(params: Record<string, string>): SiteAnswer
}

export const SECRET = 'paid weather content'
export const CHEAP_ATOMIC = 1000n // "$0.001" of the 6-decimal devnet USDC
export const EXPENSIVE_ATOMIC = 10_000n

/** The paid routes every adapter is configured with. */
export function siteRoutes(network: `${string}:${string}`, payTo: string): RoutesConfig {
  const cheap = { scheme: 'exact', network, price: '$0.001', payTo }
  return {
    'GET /paid': { accepts: cheap, description: 'Weather' },
    'GET /expensive': { accepts: { ...cheap, price: '$0.01' } },
    'GET /fails': { accepts: cheap },
    'GET /throws': { accepts: cheap },
    'GET /files/:name': { accepts: cheap },
  }
}

/** The handlers every adapter serves; each run is recorded in `runs` so tests can prove a handler never ran. */
export function siteHandlers(runs: string[]): SiteRoute[] {
  return [
    {
      path: '/paid',
      answer: () => {
        runs.push('paid')
        return { status: 200, body: { secret: SECRET }, headers: { 'x-handler': 'yes' } }
      },
    },
    {
      path: '/expensive',
      answer: () => {
        runs.push('expensive')
        return { status: 200, body: { secret: SECRET } }
      },
    },
    {
      path: '/fails',
      answer: () => {
        runs.push('fails')
        return { status: 500, body: { error: 'database down' }, headers: { 'x-handler': 'yes' } }
      },
    },
    {
      path: '/throws',
      answer: () => {
        runs.push('throws')
        throw new Error('handler exploded')
      },
    },
    {
      path: '/files/:name',
      answer: (params) => {
        runs.push('files')
        return { status: 200, body: { secret: SECRET, name: params.name ?? '' } }
      },
    },
    {
      path: '/free',
      answer: () => {
        runs.push('free')
        return { status: 200, body: { free: true } }
      },
    },
  ]
}
