import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { isX402Error } from '../errors/x402-error.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { RoutesConfig } from '../index.js'
import type { FacilitatorClient } from '../schemes/types.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$0.25', payTo: 'shop' } as const
const routes: RoutesConfig = {
  'GET /stream': { accepts, settlement: 'before' },
  'GET /after': { accepts, settlement: 'after' },
}

function setup(settleThrows = false) {
  const cash = cashFacilitator({ alice: 1000 })
  const inner = createFacilitator({ schemes: [cash] })
  const facilitator: FacilitatorClient = {
    supported: () => inner.supported(),
    verify: (p, r) => inner.verify(p, r),
    settle: (p, r) => (settleThrows ? Promise.reject(new Error('timeout')) : inner.settle(p, r)),
  }
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  const handler = createHttpPaymentHandler(server, { routes })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, handler, client }
}

async function pay({ handler, client }: ReturnType<typeof setup>, path = '/stream') {
  const url = `http://shop.test${path}`
  const unpaid = await handler.handle(new Request(url))
  if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
  const payload = await client.createPaymentPayload(
    decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? ''),
  )
  return handler.handle(
    new Request(url, { headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payload) } }),
  )
}

describe('settlement mode before', () => {
  test('settles inside handle, before the handler runs, and only adds PAYMENT-RESPONSE afterwards', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    expect(ctx.cash.settled).toHaveLength(1)
    expect(ctx.cash.balances.get('alice')).toBe(975n)
    const handled = new Response('ok', { headers: { 'X-App': '1' } })
    const res = await outcome.settle(handled)
    expect(res).toBe(handled)
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')).toEqual({
      success: true,
      payer: 'alice',
      transaction: 'cash-tx-1',
      network: CASH_NETWORK,
    })
    expect(await outcome.settle(new Response('again'))).toBe(res)
    expect(ctx.cash.settled).toHaveLength(1)
  })

  test('releases a failed handler response with PAYMENT-RESPONSE: the payment is already made', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    const res = await outcome.settle(new Response('boom', { status: 500 }))
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('boom')
    expect(decodePaymentResponse(res.headers.get(PAYMENT_RESPONSE_HEADER) ?? '').transaction).toBe(
      'cash-tx-1',
    )
    expect(ctx.cash.balances.get('alice')).toBe(975n)
  })

  test('passes a server-sent-events stream through unbuffered, with PAYMENT-RESPONSE before it ends', async () => {
    const ctx = setup()
    const outcome = await pay(ctx)
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    let push!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller
      },
    })
    const encoder = new TextEncoder()
    push.enqueue(encoder.encode('data: one\n\n'))
    const handled = new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
    const res = await outcome.settle(handled)
    expect(res.headers.get('Content-Type')).toBe('text/event-stream')
    expect(res.headers.get(PAYMENT_RESPONSE_HEADER)).toBeTruthy()
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    const first = await reader.read()
    expect(decoder.decode(first.value)).toBe('data: one\n\n')
    push.enqueue(encoder.encode('data: two\n\n'))
    push.close()
    expect(decoder.decode((await reader.read()).value)).toBe('data: two\n\n')
    expect((await reader.read()).done).toBe(true)
  })

  test('answers 402 with PAYMENT-RESPONSE and never reaches the handler when settlement fails or is pending', async () => {
    for (const [settleResult, reason] of [
      [{ success: false, errorReason: 'insufficient_funds', transaction: '' }, 'insufficient_funds'],
      [{ success: false, status: 'pending' as const, errorReason: undefined }, 'settlement_pending'],
    ] as const) {
      const ctx = setup()
      ctx.cash.behaviour.settleResult = settleResult
      const outcome = await pay(ctx)
      if (outcome.kind !== 'respond') throw new Error(outcome.kind)
      expect(outcome.response.status).toBe(402)
      const refusal = decodePaymentRequired(outcome.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
      expect(refusal.error).toBe(reason)
      const settlement = decodePaymentResponse(outcome.response.headers.get(PAYMENT_RESPONSE_HEADER) ?? '')
      expect(settlement.success).toBe(false)
    }
  })

  test('answers 503 facilitator_unavailable when settle throws', async () => {
    const ctx = setup(true)
    const outcome = await pay(ctx)
    if (outcome.kind !== 'respond') throw new Error(outcome.kind)
    expect(outcome.response.status).toBe(503)
    expect(await outcome.response.json()).toMatchObject({
      error: 'facilitator_unavailable',
      message: 'settle failed: timeout',
    })
  })
})

describe('settlement mode after', () => {
  test('settles only after the handler when named explicitly', async () => {
    const ctx = setup()
    const outcome = await pay(ctx, '/after')
    if (outcome.kind !== 'paid') throw new Error(outcome.kind)
    expect(ctx.cash.settled).toHaveLength(0)
    const res = await outcome.settle(new Response('ok'))
    expect(res.headers.get(PAYMENT_RESPONSE_HEADER)).toBeTruthy()
    expect(ctx.cash.settled).toHaveLength(1)
  })
})

test('rejects an unknown settlement mode at startup, naming the route', () => {
  const server = createResourceServer({
    facilitator: createFacilitator({ schemes: [] }),
    schemes: [cashServer()],
  })
  let error: unknown
  try {
    createHttpPaymentHandler(server, {
      routes: { 'GET /x': { accepts, settlement: 'later' as 'after' } },
    })
  } catch (caught) {
    error = caught
  }
  expect(isX402Error(error, 'invalid_config')).toBe(true)
  expect((error as Error).message).toMatch(
    /route "GET \/x": settlement must be "after", "before" or "metered"/,
  )
})
