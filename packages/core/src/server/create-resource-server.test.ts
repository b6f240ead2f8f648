import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { isX402Error } from '../errors/x402-error.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import type { RouteConfig } from '../http/types.js'
import type { SupportedResponse } from '../schemas/index.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createResourceServer } from './create-resource-server.js'

const route: RouteConfig = { accepts: { scheme: 'cash', network: CASH_NETWORK, price: '$1', payTo: 'shop' } }
const request = new Request('http://shop.test/x')

function counting(inner: FacilitatorClient, name: string, log: string[]): FacilitatorClient {
  const logged =
    <T>(call: string, run: () => Promise<T>) =>
    () => {
      log.push(`${name}.${call}`)
      return run()
    }
  return {
    supported: () => logged('supported', () => inner.supported())(),
    verify: (p, r) => logged('verify', () => inner.verify(p, r))(),
    settle: (p, r) => logged('settle', () => inner.settle(p, r))(),
  }
}

const failing = (message: string): FacilitatorClient => ({
  supported: () => Promise.reject(new Error(message)),
  verify: () => Promise.reject(new Error(message)),
  settle: () => Promise.reject(new Error(message)),
})

const fixed = (supported: SupportedResponse): FacilitatorClient => ({
  supported: async () => supported,
  verify: async () => ({ isValid: true, payer: 'fixed' }),
  settle: async (_p, r) => ({ success: true, transaction: 'fixed-tx', network: r.network }),
})

describe('createResourceServer', () => {
  test('initialize throws when no facilitator answers /supported (x402f#1260)', async () => {
    const server = createResourceServer({
      facilitator: [failing('429 Too Many Requests'), failing('ECONNREFUSED')],
      schemes: [cashServer()],
    })
    const error = await server.initialize().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isX402Error(error, 'facilitator_unreachable')).toBe(true)
    expect((error as Error).message).toBe(
      'no facilitator answered /supported: 429 Too Many Requests; ECONNREFUSED',
    )
  })

  test('fetches /supported lazily on first use and caches it for the TTL', async () => {
    const log: string[] = []
    const facilitator = counting(createFacilitator({ schemes: [cashFacilitator()] }), 'a', log)
    const server = createResourceServer({ facilitator, schemes: [cashServer()] })
    expect(log).toEqual([])
    const [requirements] = await server.buildRequirements(route, request)
    await server.buildRequirements(route, request)
    expect(requirements).toEqual({
      scheme: 'cash',
      network: CASH_NETWORK,
      amount: '100',
      asset: 'USD',
      payTo: 'shop',
      maxTimeoutSeconds: 300,
      extra: { unit: 'cent', vault: 'v1' },
    })
    expect(log).toEqual(['a.supported'])
  })

  test('answers repeated builds with the same offer objects, never past the /supported TTL', async () => {
    const log: string[] = []
    const facilitator = counting(createFacilitator({ schemes: [cashFacilitator()] }), 'a', log)
    const cached = createResourceServer({ facilitator, schemes: [cashServer()] })
    const first = await cached.buildRequirements(route, request)
    const second = await cached.buildRequirements(route, request)
    expect(second[0]).toBe(first[0])
    expect(log).toEqual(['a.supported'])

    log.length = 0
    const uncached = createResourceServer({ facilitator, schemes: [cashServer()], supportedTtlMs: 0 })
    for (let i = 0; i < 3; i++) expect(await uncached.buildRequirements(route, request)).toEqual(first)
    expect(log).toEqual(['a.supported', 'a.supported', 'a.supported'])
  })

  test('uses the first facilitator in order that supports the kind, skipping failures', async () => {
    const log: string[] = []
    const none = counting(fixed({ kinds: [], extensions: [], signers: {} }), 'none', log)
    const down = counting(failing('down'), 'down', log)
    const cash = counting(createFacilitator({ schemes: [cashFacilitator({ alice: 100 })] }), 'cash', log)
    const other = counting(
      fixed({
        kinds: [{ x402Version: 2, scheme: 'cash', network: CASH_NETWORK }],
        extensions: [],
        signers: {},
      }),
      'other',
      log,
    )
    const server = createResourceServer({ facilitator: [none, down, cash, other], schemes: [cashServer()] })
    await server.initialize()
    const [requirements] = await server.buildRequirements(route, request)
    if (!requirements) throw new Error('no requirements')
    const payload = {
      x402Version: 2 as const,
      accepted: requirements,
      payload: { from: 'alice', to: 'shop', amount: '100' },
    }
    expect(await server.verify(payload, requirements)).toEqual({ isValid: true, payer: 'alice' })
    expect(log.filter((entry) => !entry.endsWith('.supported'))).toEqual(['cash.verify'])
  })

  test('refuses to build requirements for a kind no facilitator supports', async () => {
    const server = createResourceServer({
      facilitator: fixed({ kinds: [], extensions: [], signers: {} }),
      schemes: [cashServer()],
    })
    await expect(server.buildRequirements(route, request)).rejects.toThrow(
      /no facilitator supports cash on cash:test/,
    )
  })

  test('keeps serving a stale /supported when a refresh fails', async () => {
    let up = true
    const inner = createFacilitator({ schemes: [cashFacilitator()] })
    const facilitator: FacilitatorClient = {
      ...inner,
      supported: () => (up ? inner.supported() : Promise.reject(new Error('down'))),
    }
    const server = createResourceServer({ facilitator, schemes: [cashServer()], supportedTtlMs: 0 })
    await server.initialize()
    up = false
    expect(await server.buildRequirements(route, request)).toHaveLength(1)
  })

  test('merges price extra and option extra, option last', async () => {
    const server = createResourceServer({
      facilitator: createFacilitator({ schemes: [cashFacilitator()] }),
      schemes: [cashServer()],
    })
    const [requirements] = await server.buildRequirements(
      {
        accepts: {
          scheme: 'cash',
          network: CASH_NETWORK,
          price: { amount: '7', asset: 'EUR', extra: { a: 1, b: 1 } },
          payTo: 's',
          extra: { b: 2 },
          maxTimeoutSeconds: 30,
        },
      },
      request,
    )
    expect(requirements).toMatchObject({
      amount: '7',
      asset: 'EUR',
      maxTimeoutSeconds: 30,
      extra: { a: 1, b: 2, vault: 'v1' },
    })
  })
})
