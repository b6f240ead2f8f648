import type { FacilitatorLedger } from './facilitator-ledger.js'
import type { SettlementGuard } from './settlement-guard.js'

/**
 * A {@link FacilitatorLedger} over a {@link SettlementGuard}: claims and releases only, no records. A retry
 * of a payment settled within the guard's window is refused as `duplicate_settlement` (the default,
 * in-memory behaviour of `createFacilitator`).
 */
export function ledgerFromGuard(guard: SettlementGuard): FacilitatorLedger {
  return {
    async begin(id) {
      if (await guard.acquire(id)) return { claimed: true, ticket: { id } }
      return { claimed: false, entry: { id, state: 'claimed' } }
    },
    async sending() {
      return true
    },
    async finish(ticket, _response, { sent }) {
      await guard.release(ticket.id, sent)
    },
  }
}
