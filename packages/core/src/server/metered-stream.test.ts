import { describe, expect, test } from 'vitest'
import { CASH_NETWORK, cashClient, cashFacilitator, cashServer } from '../../test/cash-scheme.js'
import { createPaymentClient } from '../client/create-payment-client.js'
import { readMeteredStream } from '../client/metered-stream-reader.js'
import { createFacilitator } from '../facilitator/create-facilitator.js'
import {
  decodePaymentRequired,
  encodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from '../http/payment-headers.js'
import type { RouteConfig } from '../http/types.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import { createHttpPaymentHandler } from './create-http-payment-handler.js'
import { createResourceServer } from './create-resource-server.js'
import { createSseEventCounter, PAYMENT_METER_HEADER } from './metered-stream.js'

describe('createSseEventCounter', () => {
  test('counts events ended by a blank line, across chunks, with LF or CRLF, not comments', () => {
    const count = createSseEventCounter()
    expect(count('event: token\ndata: a\n\n')).toBe(1)
    expect(count('data: b\r\n\r\ndata: c\n')).toBe(1)
    expect(count('\n')).toBe(1)
    expect(count(': keep-alive\n\n')).toBe(0)
    expect(count('data: split')).toBe(0)
    expect(count(' across\n')).toBe(0)
    expect(count('\n')).toBe(1)
  })
})

const accepts = { scheme: 'cash', network: CASH_NETWORK, price: '$1.00', payTo: 'shop' } as const // max 100 cents

/** A handler stream: `words` events, `gapMs` apart; `failAfter` errors the stream after that many. */
function tokens(words: string[], options: { gapMs?: number; failAfter?: number } = {}): Response {
  let sent = 0
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.failAfter !== undefined && sent === options.failAfter) {
        controller.error(new Error('the model crashed'))
        return
      }
      if (sent === words.length) {
        controller.close()
        return
      }
      if (options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs))
      controller.enqueue(encoder.encode(`event: token\ndata: ${words[sent++]}\n\n`))
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

function setup(meter: RouteConfig['meter'] = { per: 'event', price: '3' }) {
  const cash = cashFacilitator({ alice: 1000 })
  cash.behaviour.upto = true
  const facilitator = createFacilitator({ schemes: [cash] })
  const server = createResourceServer({ facilitator, schemes: [cashServer()] })
  const handler = createHttpPaymentHandler(server, {
    routes: { 'POST /stream': { accepts, settlement: 'metered', ...(meter ? { meter } : {}) } },
  })
  const client = createPaymentClient({ schemes: [cashClient('alice')] })
  return { cash, handler, client }
}

async function payment(stack: ReturnType<typeof setup>): Promise<PaymentPayload> {
  const unpaid = await stack.handler.handle(new Request('http://shop.test/stream', { method: 'POST' }))
  if (unpaid.kind !== 'respond') throw new Error(unpaid.kind)
  return stack.client.createPaymentPayload(
    decodePaymentRequired(unpaid.response.headers.get(PAYMENT_REQUIRED_HEADER) ?? ''),
  )
}

async function stream(stack: ReturnType<typeof setup>, paid: PaymentPayload, content: () => Response) {
  const outcome = await stack.handler.handle(
    new Request('http://shop.test/stream', {
      method: 'POST',
      headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(paid) },
    }),
  )
  if (outcome.kind === 'free') throw new Error('free')
  if (outcome.kind === 'respond') return outcome.response
  return outcome.settle(content())
}

const settledSoon = async (stack: ReturnType<typeof setup>, count: number) => {
  for (let i = 0; i < 50 && stack.cash.settled.length < count; i++)
    await new Promise((r) => setTimeout(r, 10))
}

describe('metered streams', () => {
  test('settles exactly the events delivered and says so in the last event', async () => {
    const stack = setup()
    const response = await stream(stack, await payment(stack), () => tokens(['pay', 'per', 'token']))
    expect(JSON.parse(response.headers.get(PAYMENT_METER_HEADER) ?? '')).toEqual({
      per: 'event',
      price: '3',
      max: '100',
    })
    const seen: string[] = []
    const result = await readMeteredStream(response, {
      onEvent: (event, spent) => void seen.push(`${event.data}:${spent}`),
    })
    expect(seen).toEqual(['pay:3', 'per:6', 'token:9'])
    expect(result).toMatchObject({ events: 3, spent: 9n, stoppedAtCap: false, settlement: { success: true } })
    expect(stack.cash.balances.get('alice')).toBe(1000n - 9n)
  })

  test('a client that disconnects at its cap pays only for what it received', async () => {
    const stack = setup()
    const words = ['one', 'two', 'three', 'four', 'five', 'six']
    const response = await stream(stack, await payment(stack), () => tokens(words, { gapMs: 5 }))
    const result = await readMeteredStream(response, { cap: 6n })
    expect(result).toMatchObject({ events: 2, spent: 6n, stoppedAtCap: true })
    await settledSoon(stack, 1)
    expect(stack.cash.settled).toHaveLength(1)
    expect(stack.cash.balances.get('alice')).toBe(1000n - 6n)
  })

  test('a stream that fails before its first event charges nothing; one that fails later, what it sent', async () => {
    const early = setup()
    const failed = await stream(early, await payment(early), () => tokens(['never'], { failAfter: 0 }))
    expect(await readMeteredStream(failed)).toMatchObject({ events: 0, spent: 0n })
    expect(early.cash.settled).toHaveLength(0)

    const late = setup()
    const partial = await stream(late, await payment(late), () => tokens(['a', 'b', 'c'], { failAfter: 2 }))
    expect(await readMeteredStream(partial)).toMatchObject({ events: 2, settlement: { success: true } })
    expect(late.cash.balances.get('alice')).toBe(1000n - 6n)
  })

  test('the meter stops at the authorized maximum', async () => {
    const stack = setup({ per: 'event', price: '40' })
    const response = await stream(stack, await payment(stack), () => tokens(['a', 'b', 'c', 'd']))
    expect(await readMeteredStream(response)).toMatchObject({ events: 4, spent: 100n })
    expect(stack.cash.balances.get('alice')).toBe(1000n - 100n)
  })

  test('an error answer charges nothing and leaves the payment usable; a payment opens one stream only', async () => {
    const stack = setup()
    const paid = await payment(stack)
    const refused = await stream(stack, paid, () => new Response('busy', { status: 503 }))
    expect(refused.status).toBe(503)
    expect(stack.cash.settled).toHaveLength(0)

    const first = await stream(stack, paid, () => tokens(['x']))
    const again = await stream(stack, paid, () => tokens(['y']))
    expect(again.status).toBe(402)
    expect(await again.json()).toMatchObject({ error: 'duplicate_settlement' })
    expect(await readMeteredStream(first)).toMatchObject({ events: 1, settlement: { success: true } })
    expect(stack.cash.balances.get('alice')).toBe(1000n - 3n)
  })

  test('per second: started seconds of streaming, from the first byte', async () => {
    const stack = setup({ per: 'second', price: '$0.05' })
    const response = await stream(stack, await payment(stack), () => tokens(['a', 'b', 'c'], { gapMs: 600 }))
    const result = await readMeteredStream(response)
    expect(result.events).toBe(3)
    expect(result.settlement).toMatchObject({ success: true })
    expect(stack.cash.balances.get('alice')).toBe(1000n - 10n) // 1.2 s after the first byte: 2 started seconds × 5
  })

  test('a metered route needs a valid meter', () => {
    const server = createResourceServer({
      facilitator: createFacilitator({ schemes: [cashFacilitator()] }),
      schemes: [cashServer()],
    })
    const route = (meter: unknown) => ({
      routes: { '/s': { accepts, settlement: 'metered', meter } as RouteConfig },
    })
    expect(() => createHttpPaymentHandler(server, route(undefined))).toThrow(/needs meter/)
    expect(() => createHttpPaymentHandler(server, route({ per: 'token', price: '1' }))).toThrow(/per must be/)
    expect(() => createHttpPaymentHandler(server, route({ per: 'event', price: '0.5' }))).toThrow(
      /price must be/,
    )
  })
})
