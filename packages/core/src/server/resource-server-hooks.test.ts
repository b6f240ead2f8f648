import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { RoutesConfig } from '../http/types.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import type { ResourceServerHooks } from './resource-server-hooks.js'

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' } as const
const routes: RoutesConfig = {
  'GET /after': { accepts, settlement: 'after' },
  'GET /before': { accepts, settlement: 'before' },
}
const modes = [['/after'], ['/before']] as const

function setup(hooks: ResourceServerHooks, options: { balance?: number; verifyThrows?: boolean } = {}) {
  const cash = cashFacilitator({ alice: options.balance ?? 1000 })
  const inner = createFacilitator({ schemes: [cash] })
  const facilitator: FacilitatorClient = {
    supported: () => inner.supported(),
    verify: (p, r) => (options.verifyThrows ? Promise.reject(new Error('timeout')) : inner.verify(p, r)),
    settle: (p, r) => inner.settle(p, r),
  }
  const server = createResourceServer({ facilitator, schemes: [cashServer()], hooks })
  const handler = createHttpPaymentHandler(server, { routes })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, handler, client }
}

/** Pays for `path`; runs the "handler" (logging it) when handle says paid; returns the final response. */
async function pay({ handler, client }: ReturnType<typeof setup>, path: string, log: string[] = []) {
  const url = `http://shop.test${path}`
  const unpaid = await handler.handle(new Request(url))
  if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
  const payload = await client.createPaymentPayload(
    decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? ''),
  )
  const request = new Request(url, {
    headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) },
  })
  const outcome = await handler.handle(request)
  if (outcome.kind === 'free') throw new Error('free')
  if (outcome.kind === 'respond') return { request, payload, response: outcome.response }
  log.push('handler')
  return { request, payload, response: await outcome.settle(new Response('the content')) }
}

const boom = () => {
  throw new Error('secret detail')
}

describe('resource server lifecycle hooks through the HTTP handler', () => {
  test.each(modes)(
    '%s: runs each hook once, in order, with the payment, the offer, the request and the results',
    async (path) => {
      const log: string[] = []
      const contexts: unknown[] = []
      const results: unknown[] = []
      const record = (name: string, c: unknown, r?: unknown) => {
        log.push(name)
        contexts.push(c)
        if (r !== undefined) results.push(r)
      }
      const ctx = setup({
        beforeVerify: (c) => record('beforeVerify', c),
        afterVerify: (c, r) => record('afterVerify', c, r),
        beforeSettle: (c) => record('beforeSettle', c),
        afterSettle: (c, r) => record('afterSettle', c, r),
        onVerifyFailure: () => void log.push('onVerifyFailure'),
        onSettleFailure: () => void log.push('onSettleFailure'),
      })
      const { request, payload, response } = await pay(ctx, path, log)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('the content')
      const settled = decodePaymentResponse(response.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')
      expect(log).toEqual(
        path === '/after'
          ? ['beforeVerify', 'afterVerify', 'handler', 'beforeSettle', 'afterSettle']
          : ['beforeVerify', 'afterVerify', 'beforeSettle', 'afterSettle', 'handler'],
      )
      expect(contexts).toHaveLength(4)
      for (const c of contexts) {
        expect(c).toEqual({ payload, requirements: payload.accepted, request, route: `GET ${path}` })
      }
      expect((contexts[0] as { request: Request }).request).toBe(request)
      expect(results).toEqual([{ isValid: true, payer: 'alice' }, settled])
      expect(settled).toMatchObject({ success: true, transaction: 'cash-tx-1' })
    },
  )

  test.each(modes)(
    '%s: a beforeVerify abort answers a 402 with its reason; nothing runs or settles',
    async (path) => {
      const log: string[] = []
      const ctx = setup({ beforeVerify: () => ({ abort: { reason: 'payer_blocked', message: 'denied' } }) })
      const { response } = await pay(ctx, path, log)
      expect(response.status).toBe(402)
      expect(await response.json()).toMatchObject({ error: 'payer_blocked', message: 'denied' })
      expect(decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
        'payer_blocked',
      )
      expect(log).toEqual([])
      expect(ctx.cash.settled).toEqual([])
    },
  )

  test('an abort with a status answers that status with { error, message }', async () => {
    const ctx = setup({ beforeVerify: () => ({ abort: { reason: 'payer_blocked', status: 403 } }) })
    const { response } = await pay(ctx, '/after')
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({
      error: 'payer_blocked',
      message: 'the beforeVerify hook refused this payment',
    })
  })

  test('an abort with a status outside 400-599 still refuses, with a 402', async () => {
    const ctx = setup({ beforeSettle: () => ({ abort: { reason: 'payer_blocked', status: 200 } }) })
    const { response } = await pay(ctx, '/after')
    expect(response.status).toBe(402)
    expect(ctx.cash.settled).toEqual([])
  })

  test('after mode: a beforeSettle abort withholds the handler response and settles nothing', async () => {
    const log: string[] = []
    const ctx = setup({ beforeSettle: () => ({ abort: { reason: 'quota_exceeded', message: 'too many' } }) })
    const { response } = await pay(ctx, '/after', log)
    expect(log).toEqual(['handler'])
    expect(response.status).toBe(402)
    expect(await response.json()).toMatchObject({ error: 'quota_exceeded', message: 'too many' })
    expect(ctx.cash.settled).toEqual([])
    expect(ctx.cash.balances.get('alice')).toBe(1000n)
  })

  test('before mode: a beforeSettle abort answers before the handler runs', async () => {
    const log: string[] = []
    const ctx = setup({ beforeSettle: () => ({ abort: { reason: 'quota_exceeded', status: 429 } }) })
    const { response } = await pay(ctx, '/before', log)
    expect(log).toEqual([])
    expect(response.status).toBe(429)
    expect(ctx.cash.settled).toEqual([])
  })

  test.each([
    ['beforeVerify', 'before_verify_hook_error', '/after', [], 0],
    ['beforeVerify', 'before_verify_hook_error', '/before', [], 0],
    ['afterVerify', 'after_verify_hook_error', '/after', [], 0],
    ['afterVerify', 'after_verify_hook_error', '/before', [], 0],
    ['beforeSettle', 'before_settle_hook_error', '/after', ['handler'], 0],
    ['beforeSettle', 'before_settle_hook_error', '/before', [], 0],
    ['afterSettle', 'after_settle_hook_error', '/after', ['handler'], 1],
    ['afterSettle', 'after_settle_hook_error', '/before', [], 1],
  ] as const)('a %s hook that throws fails closed with %s (%s)', async (hook, reason, path, ran, sent) => {
    const log: string[] = []
    const ctx = setup({ [hook]: boom })
    const { response } = await pay(ctx, path, log)
    expect(log).toEqual(ran)
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(JSON.parse(body)).toEqual({
      error: reason,
      message: `the ${hook} hook failed; the request was refused`,
    })
    expect(body).not.toContain('secret detail')
    expect(ctx.cash.settled).toHaveLength(sent)
    const header = response.headers.get(PAYMENT_RESPONSE_HEADER)
    if (sent === 0) expect(header).toBeNull()
    else
      expect(decodePaymentResponse(header ?? '')).toMatchObject({
        success: false,
        errorReason: reason,
        transaction: 'cash-tx-1',
        payer: 'alice',
      })
  })

  test.each(modes)('%s: failure hooks that throw fail closed with their own reason', async (path) => {
    const poor = setup({ onVerifyFailure: boom }, { balance: 10 })
    const refused = await pay(poor, path)
    expect(refused.response.status).toBe(500)
    expect(await refused.response.json()).toMatchObject({ error: 'verify_failure_hook_error' })

    const log: string[] = []
    const failing = setup({ onSettleFailure: boom })
    failing.cash.behaviour.settleResult = { success: false, errorReason: 'settlement_failed' }
    const failed = await pay(failing, path, log)
    expect(failed.response.status).toBe(500)
    expect(await failed.response.json()).toMatchObject({ error: 'settle_failure_hook_error' })
    expect(log).toEqual(path === '/after' ? ['handler'] : [])
  })

  test('onVerifyFailure sees the refusal, and without recover the 402 stands and after hooks are skipped', async () => {
    const seen: unknown[] = []
    let after = 0
    const ctx = setup(
      { onVerifyFailure: (_c, failure) => void seen.push(failure), afterVerify: () => void after++ },
      { balance: 10 },
    )
    const { response } = await pay(ctx, '/after')
    expect(response.status).toBe(402)
    expect(await response.json()).toMatchObject({ error: 'insufficient_funds' })
    expect(seen).toEqual([
      {
        result: {
          isValid: false,
          invalidReason: 'insufficient_funds',
          invalidMessage: 'alice has too little cash',
          payer: 'alice',
        },
      },
    ])
    expect(after).toBe(0)
  })

  test('onVerifyFailure gets the exception of an unreachable facilitator and may recover from it', async () => {
    const seen: unknown[] = []
    const log: string[] = []
    const ctx = setup(
      {
        onVerifyFailure: (_c, failure) => {
          seen.push(failure.error instanceof Error ? failure.error.message : failure)
          return { recover: { isValid: true, payer: 'alice' } }
        },
      },
      { verifyThrows: true },
    )
    const { response } = await pay(ctx, '/after', log)
    expect(seen).toEqual(['timeout'])
    expect(log).toEqual(['handler'])
    expect(response.status).toBe(200)
    expect(ctx.cash.settled).toHaveLength(1)
  })

  test('onSettleFailure may accept a pending settlement; afterSettle and PAYMENT-RESPONSE carry the recovery', async () => {
    const after: unknown[] = []
    const ctx = setup({
      onSettleFailure: (_c, failure) =>
        failure.result?.status === 'pending' ? { recover: { ...failure.result, success: true } } : undefined,
      afterSettle: (_c, result) => void after.push(result),
    })
    ctx.cash.behaviour.settleResult = { success: false, status: 'pending', errorReason: 'settlement_pending' }
    const { response } = await pay(ctx, '/after')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('the content')
    const settled = decodePaymentResponse(response.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')
    expect(settled).toMatchObject({ success: true, status: 'pending', transaction: 'cash-tx-1' })
    expect(after).toEqual([settled])
  })

  test('without recover a pending settlement still answers 402 settlement_pending and no content', async () => {
    const ctx = setup({ onSettleFailure: () => undefined })
    ctx.cash.behaviour.settleResult = { success: false, status: 'pending', errorReason: 'settlement_pending' }
    const { response } = await pay(ctx, '/after')
    expect(response.status).toBe(402)
    expect(await response.json()).toMatchObject({ error: 'settlement_pending' })
  })
})
