import { z } from 'zod'
import type { IdempotencyStore } from '../extensions/idempotency-store.js'
import { readPaymentIdentifier } from '../extensions/payment-identifier.js'
import {
  type SettleResponse,
  SettleResponseSchema,
  type VerifyResponse,
  VerifyResponseSchema,
} from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { paymentId } from './payment-id.js'
import { settleRefusal } from './settle-once.js'

/** The facilitator's deduplication of `/verify` and `/settle` by payment identifier (`createFacilitator`'s `idempotency`). */
export interface FacilitatorIdempotencyOptions {
  /** Where identifiers are remembered; `createStorageIdempotencyStore(storage)` shares them between instances. */
  store: IdempotencyStore
  /** How long an identifier is remembered after its first use (default 24 hours). */
  ttlMs?: number
}

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000
const UPDATE_ROUNDS = 5

// One record per identifier: the payment it was first used with (its payment id, the hash of the
// canonical payload), the valid verify answer and the successful settle answer once they happened.
const RecordSchema = z.object({
  payment: z.string(),
  verify: VerifyResponseSchema.optional(),
  settle: SettleResponseSchema.optional(),
})
type IdentifierRecord = z.infer<typeof RecordSchema>

type Call<T> = (payload: PaymentPayload, requirements: PaymentRequirements) => Promise<T>

/**
 * Wraps verify and settle: with the same identifier and payload, a valid verify and a successful settle are
 * answered again as first given (a settled payment verifies as valid, so a server that lost its response can
 * run the request again); the same identifier with another payload is refused `payment_identifier_conflict`
 * (HTTP 409 in `@open402/facilitator`). Refusals are not remembered: a payment refused once may be sent
 * again. A store that cannot be read refuses with `idempotency_store_unavailable`, settling nothing.
 */
export function dedupeByPaymentIdentifier(
  options: FacilitatorIdempotencyOptions,
  verify: Call<VerifyResponse>,
  settle: Call<SettleResponse>,
): { verify: Call<VerifyResponse>; settle: Call<SettleResponse> } {
  const { store } = options
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS

  /** The record after `change`, written atomically; `conflict` when the identifier belongs to another payment. */
  async function update(
    key: string,
    payment: string,
    change: (record: IdentifierRecord) => IdentifierRecord,
  ): Promise<IdentifierRecord | 'conflict'> {
    for (let round = 0; round < UPDATE_ROUNDS; round++) {
      const found = await store.get(key)
      const current = found === undefined ? undefined : RecordSchema.parse(found.value)
      if (current && current.payment !== payment) return 'conflict'
      const next = change(current ?? { payment })
      if (current === undefined) {
        const put = await store.putIfAbsent(key, next, { ttlMs })
        if (put.stored) return next
      } else if (next === current || (await store.compareAndSet(key, found?.value, next, { ttlMs }))) {
        return next
      }
    }
    throw new Error(`payment identifier ${key}: ${UPDATE_ROUNDS} concurrent writers in a row; try again`)
  }

  async function identify(payload: PaymentPayload) {
    const reading = readPaymentIdentifier(payload)
    if (reading.status !== 'valid') return reading
    // Scoped by network and recipient, so unrelated merchants never share an identifier.
    const key = `${payload.accepted.network} ${payload.accepted.payTo} ${reading.id}`
    return { status: 'valid' as const, id: reading.id, key, payment: await paymentId(payload) }
  }

  const conflictMessage = (id: string) => `payment identifier ${id} was already used with a different payment`
  const unavailable = (error: unknown) =>
    `the idempotency store is unavailable, nothing was done: ${error instanceof Error ? error.message : String(error)}`

  return {
    async verify(payload, requirements) {
      const identified = await identify(payload)
      if (identified.status === 'absent') return verify(payload, requirements)
      if (identified.status === 'invalid') {
        return {
          isValid: false,
          invalidReason: 'invalid_payment_identifier',
          invalidMessage: identified.message,
        }
      }
      const { key, payment, id } = identified
      let known: IdentifierRecord | 'conflict' | undefined
      try {
        const found = await store.get(key)
        known = found === undefined ? undefined : RecordSchema.parse(found.value)
        if (known && known.payment !== payment) known = 'conflict'
      } catch (error) {
        return {
          isValid: false,
          invalidReason: 'idempotency_store_unavailable',
          invalidMessage: unavailable(error),
        }
      }
      if (known === 'conflict') {
        return {
          isValid: false,
          invalidReason: 'payment_identifier_conflict',
          invalidMessage: conflictMessage(id),
        }
      }
      if (known?.settle) {
        const payer = known.settle.payer
        return { isValid: true, ...(payer === undefined ? {} : { payer }) }
      }
      if (known?.verify) return known.verify
      const result = await verify(payload, requirements)
      if (!result.isValid) return result
      try {
        const recorded = await update(key, payment, (record) => ({ ...record, verify: result }))
        if (recorded === 'conflict') {
          return {
            isValid: false,
            invalidReason: 'payment_identifier_conflict',
            invalidMessage: conflictMessage(id),
          }
        }
      } catch (error) {
        return {
          isValid: false,
          invalidReason: 'idempotency_store_unavailable',
          invalidMessage: unavailable(error),
        }
      }
      return result
    },

    async settle(payload, requirements) {
      const identified = await identify(payload)
      if (identified.status === 'absent') return settle(payload, requirements)
      if (identified.status === 'invalid') {
        return settleRefusal(requirements, 'invalid_payment_identifier', identified.message)
      }
      const { key, payment, id } = identified
      let claimed: IdentifierRecord | 'conflict'
      try {
        // Bind the identifier to this payment before anything is sent.
        claimed = await update(key, payment, (record) => record)
      } catch (error) {
        return settleRefusal(requirements, 'idempotency_store_unavailable', unavailable(error))
      }
      if (claimed === 'conflict')
        return settleRefusal(requirements, 'payment_identifier_conflict', conflictMessage(id))
      if (claimed.settle) return claimed.settle
      // The payment itself settles at most once (ledger or guard), so concurrent calls here are safe.
      const result = await settle(payload, requirements)
      if (result.success && result.status !== 'pending') {
        try {
          await update(key, payment, (record) => ({ ...record, settle: result }))
        } catch {
          // Settled: the answer stands; the ledger still answers a retry of this payment.
        }
      } else if (!result.success && result.status !== 'pending' && result.transaction === '') {
        // Refused with nothing sent: the identifier is free for another payment.
        try {
          const found = await store.get(key)
          const current = found === undefined ? undefined : RecordSchema.parse(found.value)
          if (current?.payment === payment && current.settle === undefined) await store.delete(key)
        } catch {
          // It expires with its ttl.
        }
      }
      return result
    },
  }
}
