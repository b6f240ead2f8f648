import { z } from 'zod'
import type { IdempotencyStore } from '../extensions/idempotency-store.js'
import {
  declarePaymentIdentifier,
  PAYMENT_IDENTIFIER,
  paymentIdentifierDeclarationOf,
  readPaymentIdentifier,
} from '../extensions/payment-identifier.js'
import { canonicalJson } from '../facilitator/payment-id.js'
import { decodePaymentResponse, PAYMENT_RESPONSE_HEADER } from '../http/payment-headers.js'
import type { PaymentOutcome, RouteConfig } from '../http/types.js'
import { type SettleResponse, SettleResponseSchema } from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { CorsOptions } from './cors.js'
import { errorResponse } from './payment-responses.js'
import { withPaymentResponse } from './with-payment-response.js'

/**
 * The resource server's deduplication of paid requests by payment identifier (README "Idempotency
 * (payment-identifier)"; specs/extensions/payment_identifier.md).
 */
export interface IdempotencyOptions {
  /** Where ids are remembered: `createMemoryIdempotencyStore()`, or `createStorageIdempotencyStore(storage)` shared by instances. */
  store: IdempotencyStore
  /** How long a settled payment's answer is replayed to its id (default 24 hours). */
  ttlMs?: number
  /** Whether every paid route requires an id (default false); a route's own declaration wins. */
  required?: boolean
  /** How long an unfinished request holds its id (default 2 minutes); a process that died mid-payment frees it then. */
  leaseMs?: number
  /** How long a duplicate of a request still in flight waits for its answer before 409 `payment_identifier_in_progress` (default 5 s). */
  waitMs?: number
  /** Largest response body remembered (default 1 MiB); a larger one is replayed by running the handler again, unsettled. */
  maxBodyBytes?: number
}

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
const DEFAULT_LEASE_MS = 2 * 60 * 1000
const DEFAULT_WAIT_MS = 5000
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** Headers a stored answer does not keep: the transport's, recomputed for the replay. */
const NOT_STORED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length'])

const StoredResponseSchema = z.object({
  status: z.int().min(200).max(599),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.string(),
})
type StoredResponse = z.infer<typeof StoredResponseSchema>

// What an id holds: `pending` while its first request runs; `settled` once its payment settled, with the
// answer sent (or only the settlement, for a streamed `before` route or an answer over the size limit).
const IdempotencyRecordSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('pending'), fingerprint: z.string(), claim: z.string() }),
  z.object({
    state: z.literal('settled'),
    fingerprint: z.string(),
    settlement: SettleResponseSchema,
    response: StoredResponseSchema.optional(),
  }),
])
type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>
type PendingRecord = Extract<IdempotencyRecord, { state: 'pending' }>

/** The id of a paid request, held until its payment settles (then remembered) or is refused (then freed). */
export interface IdempotencyClaim {
  /** A `before` route settled: remember the settlement now, before the handler runs. */
  settledFirst(settlement: SettleResponse): Promise<void>
  /** Frees the id unless the outcome settles, and remembers the answer of one that does. */
  finish(outcome: PaymentOutcome): Promise<PaymentOutcome>
}

/** What to do with a paid request: go on (holding the id's claim, if any), or answer with `outcome`. */
export type IdempotencyDecision =
  | { kind: 'proceed'; claim?: IdempotencyClaim }
  | { kind: 'outcome'; outcome: PaymentOutcome }

/** One paid route's view: its config with the extension declared, and the per-request check. */
export interface RouteIdempotency {
  /** The route config whose `extensions` declare `payment-identifier` when the handler has a store. */
  readonly config: RouteConfig
  begin(request: Request, payload: PaymentPayload): Promise<IdempotencyDecision>
}

const PROCEED: IdempotencyDecision = Object.freeze({ kind: 'proceed' })

/**
 * Builds each route's idempotency: a route that declares `payment-identifier` (or every route, when
 * `options` has a store) checks the id of each paid request before anything is verified. Without a store
 * the id is only checked (400s) and deduplication is left to the facilitator.
 */
export function createIdempotentPayments(
  options: IdempotencyOptions | undefined,
  baseHeaders: Readonly<Record<string, string>>,
  cors: CorsOptions | undefined,
): { route(key: string, config: RouteConfig): RouteIdempotency } {
  const store = options?.store
  const ttlMs = options?.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS
  const leaseMs = options?.leaseMs ?? DEFAULT_LEASE_MS
  const waitMs = options?.waitMs ?? DEFAULT_WAIT_MS
  const maxBodyBytes = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const answer = (status: number, reason: string, message: string, extra?: Record<string, string>) =>
    ({
      kind: 'outcome',
      outcome: {
        kind: 'respond',
        response: errorResponse(status, reason, message, { ...baseHeaders, ...extra }),
      },
    }) as const

  return {
    route(routeKey, routeConfig) {
      const config =
        store !== undefined && paymentIdentifierDeclarationOf(routeConfig.extensions) === undefined
          ? {
              ...routeConfig,
              extensions: {
                ...routeConfig.extensions,
                [PAYMENT_IDENTIFIER]: declarePaymentIdentifier({ required: options?.required === true }),
              },
            }
          : routeConfig
      const declared = paymentIdentifierDeclarationOf(config.extensions)

      async function begin(request: Request, payload: PaymentPayload): Promise<IdempotencyDecision> {
        if (declared === undefined) return PROCEED
        const reading = readPaymentIdentifier(payload)
        if (reading.status === 'invalid') return answer(400, 'invalid_payment_identifier', reading.message)
        if (reading.status === 'absent') {
          if (!declared.required) return PROCEED
          const message = `this resource requires extensions["${PAYMENT_IDENTIFIER}"].info.id in the payment`
          return answer(400, 'payment_identifier_required', message)
        }
        if (store === undefined) return PROCEED
        // Scoped by route, and bound to the exact payment and request target (the spec's "request binding").
        const key = `${routeKey}#${reading.id}`
        const fingerprint = await fingerprintOf(request, payload)
        const pending: PendingRecord = { state: 'pending', fingerprint, claim: crypto.randomUUID() }
        const deadline = Date.now() + waitMs
        let delay = 20
        try {
          for (;;) {
            const put = await store.putIfAbsent(key, pending, { ttlMs: leaseMs })
            if (put.stored) return { kind: 'proceed', claim: claimOf(key, pending) }
            const existing = IdempotencyRecordSchema.parse(put.existing.value)
            if (existing.fingerprint !== fingerprint) {
              const message = `payment identifier ${reading.id} was already used with a different payment or request`
              return answer(409, 'payment_identifier_conflict', message)
            }
            if (existing.state === 'settled')
              return { kind: 'outcome', outcome: replay(existing, request, payload) }
            const left = deadline - Date.now()
            if (left <= 0) {
              const message = `a request with payment identifier ${reading.id} is still being processed; retry shortly`
              return answer(409, 'payment_identifier_in_progress', message, { 'retry-after': '1' })
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)))
            delay = Math.min(delay * 2, 250)
          }
        } catch (error) {
          const message = `the idempotency store is unavailable, nothing was charged: ${messageOf(error)}`
          return answer(503, 'idempotency_store_unavailable', message)
        }
      }

      function replay(
        record: Extract<IdempotencyRecord, { state: 'settled' }>,
        request: Request,
        payload: PaymentPayload,
      ): PaymentOutcome {
        const stored = record.response
        if (stored !== undefined) {
          const bytes = base64ToBytes(stored.body)
          // An empty body is no body, as a 204 requires.
          const body = request.method === 'HEAD' || bytes.length === 0 ? null : bytes
          return {
            kind: 'respond',
            response: new Response(body, { status: stored.status, headers: stored.headers }),
          }
        }
        // Only the settlement was kept: the content is served again by the handler, with no new settlement.
        const settlement = record.settlement
        return {
          kind: 'paid',
          payment: { payload, requirements: payload.accepted, payer: settlement.payer ?? '' },
          settle: async (response) => withPaymentResponse(response, settlement, cors),
        }
      }

      function claimOf(key: string, pending: PendingRecord): IdempotencyClaim {
        let settledFirst = false
        const release = async () => {
          // Only our own claim: after a lease ran out another request may hold the id.
          try {
            const current = await store?.get(key)
            if (current && JSON.stringify(current.value) === JSON.stringify(pending)) await store?.delete(key)
          } catch {
            // The claim lapses with its lease.
          }
        }
        const remember = async (settlement: SettleResponse, response?: StoredResponse) => {
          const record: IdempotencyRecord = {
            state: 'settled',
            fingerprint: pending.fingerprint,
            settlement,
            ...(response === undefined ? {} : { response }),
          }
          try {
            await store?.compareAndSet(key, pending, record, { ttlMs })
          } catch {
            // The payment settled: its content goes out even if it cannot be remembered.
          }
        }
        return {
          async settledFirst(settlement) {
            settledFirst = true
            await remember(settlement)
          },
          async finish(outcome) {
            if (outcome.kind !== 'paid') {
              if (!settledFirst) await release()
              return outcome
            }
            if (settledFirst) return outcome
            let settled: Promise<Response> | undefined
            const settleAndRemember = async (handlerResponse: Response) => {
              const response = await outcome.settle(handlerResponse)
              const settlement = settlementOf(response)
              if (response.status >= 400 || settlement?.success !== true || settlement.status === 'pending') {
                await release()
                return response
              }
              const captured = await capture(response, maxBodyBytes)
              await remember(settlement, captured.stored)
              return captured.response
            }
            return {
              ...outcome,
              settle: (response) => {
                settled ??= settleAndRemember(response)
                return settled
              },
            }
          },
        }
      }

      return { config, begin }
    },
  }
}

/** SHA-256 over the method, the path and query, and the canonical payment. */
async function fingerprintOf(request: Request, payload: PaymentPayload): Promise<string> {
  const url = new URL(request.url)
  const text = `${request.method.toUpperCase()} ${url.pathname}${url.search}\n${canonicalJson(payload)}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function settlementOf(response: Response): SettleResponse | undefined {
  const header = response.headers.get(PAYMENT_RESPONSE_HEADER)
  if (header === null) return undefined
  try {
    return decodePaymentResponse(header)
  } catch {
    return undefined
  }
}

/**
 * Reads the body up to `max` bytes: within it, the response is rebuilt from the bytes and returned with
 * what to store; past it, nothing is stored and the bytes read flow on ahead of the rest of the stream.
 */
async function capture(
  response: Response,
  max: number,
): Promise<{ response: Response; stored?: StoredResponse }> {
  const headers: [string, string][] = []
  for (const [name, value] of response.headers)
    if (!NOT_STORED.has(name.toLowerCase())) headers.push([name, value])
  const init = { status: response.status, statusText: response.statusText, headers: response.headers }
  if (response.body === null) return { response, stored: { status: response.status, headers, body: '' } }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > max) {
      const rest = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk)
        },
        async pull(controller) {
          const next = await reader.read()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
        cancel: (reason) => reader.cancel(reason),
      })
      return { response: new Response(rest, init) }
    }
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return {
    response: new Response(bytes, init),
    stored: { status: response.status, headers, body: bytesToBase64(bytes) },
  }
}

// Base64 with btoa/atob rather than Buffer, so core stays runtime-neutral (Web APIs only).
function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}
