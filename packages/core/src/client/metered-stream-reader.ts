import { X402Error } from '../errors/x402-error.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import {
  type MeteredSettlement,
  meteredCost,
  PAYMENT_METER_HEADER,
  PAYMENT_RESPONSE_EVENT,
  type PaymentMeter,
} from '../server/metered-stream.js'

/** One server-sent event of a metered stream. */
export interface MeteredEvent {
  event: string
  data: string
  id?: string
}

/** Options of {@link readMeteredStream}. */
export interface ReadMeteredStreamOptions {
  /** Called with each event and what has been spent so far (atomic units, this event included). */
  onEvent?(event: MeteredEvent, spent: bigint): void | Promise<void>
  /**
   * Stop reading (and disconnect) once this much is spent, in atomic units: the server then settles what
   * was delivered. The hard limit is the authorized maximum, which the server never exceeds.
   */
  cap?: bigint | string
}

/** How a metered stream ended for the client. */
export interface MeteredStreamResult {
  /** Events received (the final `payment-response` event not counted). */
  events: number
  /** What the received units cost by the server's meter, in atomic units. */
  spent: bigint
  meter: PaymentMeter
  /** The server's settlement, sent as the last event; absent when the client stopped first. */
  settlement?: MeteredSettlement
  /** The client stopped at its cap (the server settles what it delivered; its answer is not received). */
  stoppedAtCap: boolean
}

/** The meter of a metered response (`Payment-Meter` header); throws `X402Error('invalid_header')` if absent. */
export function paymentMeterOf(response: Response): PaymentMeter {
  const header = response.headers.get(PAYMENT_METER_HEADER)
  let meter: Partial<PaymentMeter> | undefined
  try {
    meter = header === null ? undefined : (JSON.parse(header) as Partial<PaymentMeter>)
  } catch {
    meter = undefined
  }
  if (
    !meter ||
    (meter.per !== 'event' && meter.per !== 'second') ||
    !/^[0-9]+$/.test(String(meter.price)) ||
    !/^[0-9]+$/.test(String(meter.max))
  ) {
    throw new X402Error(
      'invalid_header',
      `${PAYMENT_METER_HEADER}: not a metered response (${header ?? 'absent'})`,
    )
  }
  return { per: meter.per, price: String(meter.price), max: String(meter.max) }
}

/**
 * Reads a metered stream of server-sent events (a route with `settlement: 'metered'`), keeping the running
 * cost by the server's `Payment-Meter`, and returns the settlement the server sends as its last event. With
 * `cap`, it disconnects once that much is spent; the server then settles what it delivered.
 * @example const { spent, settlement } = await readMeteredStream(await paidFetch(url), { onEvent: (e) => print(e.data) })
 */
export async function readMeteredStream(
  response: Response,
  options: ReadMeteredStreamOptions = {},
): Promise<MeteredStreamResult> {
  const meter = paymentMeterOf(response)
  const price = BigInt(meter.price)
  const cap = options.cap === undefined ? undefined : BigInt(options.cap)
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let events = 0
  let firstAt: number | undefined
  let settlement: MeteredSettlement | undefined
  const spentNow = () => meteredCost(meter, events, firstAt).amount
  if (!reader) return { events, spent: 0n, meter, stoppedAtCap: false }
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      firstAt ??= Date.now()
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n')
      let end = buffer.indexOf('\n\n')
      while (end !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        const event = parseEvent(block)
        if (!event) continue
        if (event.event === PAYMENT_RESPONSE_EVENT) {
          settlement = parseSettlement(event.data)
          continue
        }
        events++
        await options.onEvent?.(event, spentNow())
        if (cap !== undefined && spentNow() + (meter.per === 'event' ? price : 0n) > cap) {
          await reader.cancel('cap reached').catch(() => {})
          return { events, spent: spentNow(), meter, stoppedAtCap: true }
        }
      }
    }
  } finally {
    reader.releaseLock()
  }
  return { events, spent: spentNow(), meter, ...(settlement ? { settlement } : {}), stoppedAtCap: false }
}

function parseEvent(block: string): MeteredEvent | undefined {
  let event = 'message'
  const data: string[] = []
  let id: string | undefined
  let fields = 0
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    fields++
    if (name === 'event') event = value
    else if (name === 'data') data.push(value)
    else if (name === 'id') id = value
  }
  if (fields === 0) return undefined
  return { event, data: data.join('\n'), ...(id === undefined ? {} : { id }) }
}

function parseSettlement(data: string): MeteredSettlement {
  try {
    const parsed = JSON.parse(data) as Partial<SettleResponse> & { errorReason?: string }
    if (typeof parsed.success === 'boolean') return parsed as MeteredSettlement
  } catch {
    // fall through
  }
  return { success: false, errorReason: 'invalid_payment_response', errorMessage: data.slice(0, 200) }
}
