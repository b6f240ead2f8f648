import { randomUUID } from 'node:crypto'
import type { FacilitatorLedger, LedgerEntry, SettlementTicket } from '@open402/core'
import type { Storage } from '../storage.js'
import type { SettlementRecord } from './settlement-record.js'

/** Options of {@link createStorageSettlementLedger}. */
export interface StorageSettlementLedgerOptions {
  /**
   * How long a claim on which nothing was sent blocks other settlers if this process dies (default 60 s).
   * Once the transaction is recorded as sending, the claim never expires: the reconciler finishes it.
   */
  leaseMs?: number
  /** Names this process in `claimedBy` (default a random id); each settle call adds its own suffix. */
  instance?: string
}

function entryOf(record: SettlementRecord): LedgerEntry {
  return {
    id: record.id,
    state: record.state,
    ...(record.transaction === null ? {} : { transaction: record.transaction }),
    ...(record.response === null ? {} : { response: record.response }),
  }
}

/**
 * Core's `FacilitatorLedger` on the settlement ledger, so `createFacilitator({ schemes, ledger })` records
 * every verify and settle and settles each payment once across every instance sharing the database: the
 * claim is one conditional insert, the transaction is recorded (fenced by the claim) before its broadcast,
 * and a retry gets the recorded answer. Every verify (valid or refused) and every settle refused before
 * sending is also appended to `storage.verifications` with its reason; refusals never touch the ledger's
 * state, so they cannot block a later settlement.
 * @example const facilitator = createFacilitator({ schemes, ledger: createStorageSettlementLedger(storage) })
 */
export function createStorageSettlementLedger(
  storage: Pick<Storage, 'settlements' | 'verifications'>,
  options: StorageSettlementLedgerOptions = {},
): FacilitatorLedger {
  const instance = options.instance ?? randomUUID()
  const leaseMs = options.leaseMs ?? 60_000
  const { settlements, verifications } = storage
  const ownerOf = (ticket: SettlementTicket) => ticket.owner ?? ''
  return {
    async recordVerified(id, details) {
      await settlements.recordVerified(id, details)
      await verifications.record({ paymentId: id, stage: 'verify', result: 'valid', details })
    },

    async recordRefused(id, details, { stage, reason, message }) {
      await verifications.record({
        paymentId: id,
        stage,
        result: 'refused',
        reason,
        ...(message === undefined ? {} : { message }),
        details,
      })
    },

    async begin(id, details) {
      const owner = `${instance}:${randomUUID()}`
      const claim = await settlements.claimForSettlement(id, details, { owner, leaseMs })
      if (claim.claimed) return { claimed: true, ticket: { id, owner } }
      return { claimed: false, entry: entryOf(claim.existing) }
    },

    async sending(ticket, { transaction, raw, signer }) {
      const record = await settlements.markSending(ticket.id, {
        owner: ownerOf(ticket),
        transaction,
        ...(raw === undefined ? {} : { rawTransaction: raw }),
        ...(signer === undefined ? {} : { signer }),
      })
      return record !== undefined
    },

    async finish(ticket, response, { sent }) {
      const owner = ownerOf(ticket)
      const payer = response.payer === undefined ? {} : { payer: response.payer }
      const { transaction } = response
      if (response.success) {
        await settlements.markConfirmed(ticket.id, { owner, transaction, response, ...payer })
      } else if (response.status === 'pending') {
        await settlements.markSubmitted(ticket.id, { owner, transaction, response, ...payer })
      } else {
        // With `sent` false (nothing reached the chain) the payment stays claimable by a retry.
        await settlements.markFailed(ticket.id, {
          owner,
          reason: response.errorReason ?? 'unexpected_settle_error',
          ...(response.errorMessage === undefined ? {} : { message: response.errorMessage }),
          sent,
          response,
          ...payer,
        })
      }
    },

    async unfinished(listOptions) {
      const records = await settlements.listUnfinished(listOptions)
      return records.flatMap((record) =>
        record.transaction === null
          ? []
          : [
              {
                id: record.id,
                scheme: record.scheme ?? '',
                network: record.network ?? '',
                transaction: record.transaction,
                ...(record.rawTransaction === null ? {} : { raw: record.rawTransaction }),
                ...(record.payer === null ? {} : { payer: record.payer }),
              },
            ],
      )
    },

    async complete(id, response) {
      const record = response.success
        ? await settlements.markConfirmed(id, { transaction: response.transaction, response })
        : await settlements.markFailed(id, {
            reason: response.errorReason ?? 'transaction_failed',
            ...(response.errorMessage === undefined ? {} : { message: response.errorMessage }),
            sent: true,
            response,
          })
      return record !== undefined
    },
  }
}
