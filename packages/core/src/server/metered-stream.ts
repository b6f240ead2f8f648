import { X402Error } from '../errors/x402-error.js'
import type { SettleResponse } from '../schemas/facilitator.js'

/**
 * The response header of a metered stream (an open402 addition): JSON `{ per, price, max }`, the unit, the
 * price of one unit and the authorized maximum in the paid offer's atomic units, so the client can follow
 * what it is spending while it reads.
 */
export const PAYMENT_METER_HEADER = 'Payment-Meter'

/** The event a metered stream ends with: its data is the settlement (a SettleResponse as JSON). */
export const PAYMENT_RESPONSE_EVENT = 'payment-response'

/** How a metered route counts what it delivered: server-sent events, or started seconds of streaming. */
export type MeterUnit = 'event' | 'second'

/** A route's meter: `price` per unit, in dollars (`"$0.0001"`) or atomic units (`"100"`). */
export interface MeterConfig {
  per: MeterUnit
  price: string
}

const METER_PRICE = /^(\$[0-9]+(\.[0-9]+)?|[1-9][0-9]*)$/

/** Throws `X402Error('invalid_config')` unless `meter` is a valid meter of the route `key`. */
export function checkMeter(key: string, meter: MeterConfig | undefined): void {
  const where = `route ${JSON.stringify(key)}`
  if (meter === undefined) {
    throw new X402Error(
      'invalid_config',
      `${where}: a metered route needs meter: { per: 'event' | 'second', price }`,
    )
  }
  if (meter.per !== 'event' && meter.per !== 'second') {
    throw new X402Error('invalid_config', `${where}: meter.per must be "event" or "second"`)
  }
  if (typeof meter.price !== 'string' || !METER_PRICE.test(meter.price)) {
    throw new X402Error(
      'invalid_config',
      `${where}: meter.price must be dollars ("$0.0001") or atomic units ("100"), got ${JSON.stringify(meter.price)}`,
    )
  }
}

/** What a metered response's header says, in the paid offer's atomic units. */
export interface PaymentMeter {
  per: MeterUnit
  price: string
  max: string
}

/** How a metered stream ended, for {@link meterResponse}'s `settle`. */
export interface MeteredDelivery {
  units: number
  amount: bigint
  /** The client went away before the end (it pays for what it received). */
  disconnected: boolean
}

/** The SettleResponse to report, or a failure's reason when settlement was refused or unavailable. */
export type MeteredSettlement =
  | SettleResponse
  | { success: false; errorReason: string; errorMessage?: string }

/**
 * The units delivered and their cost by `meter` (at most its maximum): `events` for a per-event meter, the
 * started seconds since `firstAt` (the first byte) for a per-second one. Server and client count alike.
 */
export function meteredCost(
  meter: PaymentMeter,
  events: number,
  firstAt: number | undefined,
  now = Date.now(),
): { units: number; amount: bigint } {
  const units =
    meter.per === 'event'
      ? events
      : firstAt === undefined
        ? 0
        : Math.max(1, Math.ceil((now - firstAt) / 1000))
  const amount = BigInt(units) * BigInt(meter.price)
  const max = BigInt(meter.max)
  return { units, amount: amount > max ? max : amount }
}

/**
 * Counts complete server-sent events in a stream of text: an event ends at a blank line after at least one
 * field line (comment lines, `:…`, are not fields). Line ends may be LF or CRLF; state carries across chunks.
 */
export function createSseEventCounter(): (text: string) => number {
  let lineLength = 0
  let lineIsComment = false
  let hasField = false
  return (text) => {
    let events = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 13) continue // CR (of CRLF)
      if (c === 10) {
        if (lineLength === 0) {
          if (hasField) events++
          hasField = false
        } else if (!lineIsComment) {
          hasField = true
        }
        lineLength = 0
        lineIsComment = false
        continue
      }
      if (lineLength === 0) lineIsComment = c === 58 // ':'
      lineLength++
    }
    return events
  }
}

/**
 * Wraps a streamed response so that exactly what was delivered is charged: units (events or started
 * seconds) are counted as the client pulls them; when the handler's stream ends, `settle` is called with
 * the amount (units × price, at most the maximum) and the settlement is sent as a final
 * `payment-response` event; when the client disconnects first, `settle` is called for what it received
 * (nobody is left to tell). Nothing delivered, nothing charged: `settle` is not called for 0 units.
 */
export function meterResponse(
  response: Response,
  meter: PaymentMeter,
  network: SettleResponse['network'],
  settle: (delivery: MeteredDelivery) => Promise<MeteredSettlement>,
): Response {
  const source = response.body
  const headers = new Headers(response.headers)
  headers.set(PAYMENT_METER_HEADER, JSON.stringify(meter))
  headers.delete('content-length')
  const exposed = headers.get('Access-Control-Expose-Headers')
  if (exposed !== null && !/payment-meter/i.test(exposed)) {
    headers.set('Access-Control-Expose-Headers', `${exposed}, ${PAYMENT_METER_HEADER}`)
  }
  const countEvents = createSseEventCounter()
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  let events = 0
  let firstAt: number | undefined
  let finished = false
  let cancelled = false

  const delivery = (disconnected: boolean): MeteredDelivery => ({
    ...meteredCost(meter, events, firstAt),
    disconnected,
  })
  const finish = async (disconnected: boolean): Promise<MeteredSettlement | undefined> => {
    if (finished) return undefined
    finished = true
    const delivered = delivery(disconnected)
    if (delivered.units === 0) return undefined
    return settle(delivered)
  }

  const reader = source?.getReader()
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!reader) {
          controller.close()
          return
        }
        let chunk: ReadableStreamReadResult<Uint8Array>
        try {
          chunk = await reader.read()
          if (cancelled) return // the client went away meanwhile: cancel() settles
        } catch {
          if (cancelled) return
          // The handler's stream failed: charge what was delivered, say so, and end.
          const settled = await finish(false)
          if (settled) controller.enqueue(encoder.encode(finalEvent(settled)))
          controller.close()
          return
        }
        if (chunk.done) {
          const settled = await finish(false)
          const charged: MeteredSettlement = settled ?? {
            success: true,
            transaction: '',
            network,
            amount: '0',
          }
          controller.enqueue(encoder.encode(finalEvent(charged)))
          controller.close()
          return
        }
        firstAt ??= Date.now()
        if (meter.per === 'event') events += countEvents(decoder.decode(chunk.value, { stream: true }))
        controller.enqueue(chunk.value)
      },
      async cancel(reason) {
        cancelled = true
        await reader?.cancel(reason).catch(() => {})
        await finish(true)
      },
    },
    { highWaterMark: 0 },
  )
  return new Response(body, { status: response.status, statusText: response.statusText, headers })
}

function finalEvent(settled: MeteredSettlement): string {
  return `event: ${PAYMENT_RESPONSE_EVENT}\ndata: ${JSON.stringify(settled)}\n\n`
}
