import { randomUUID } from 'node:crypto'
import type { SettlementGuard } from '@open402/core'
import type { Storage } from '../storage.js'

/** Options of {@link createLedgerSettlementGuard}. */
export interface LedgerSettlementGuardOptions {
  /**
   * How long a claim blocks other settlers if this process dies mid-settlement (default 10 minutes). The
   * guard cannot tell whether anything was sent, so keep it longer than a settlement can take.
   */
  leaseMs?: number
  /** Names this process in `claimedBy` (default a random id). */
  owner?: string
}

/**
 * Core's `SettlementGuard` on the settlement ledger, so `createFacilitator({ guard })` settles each payment
 * id once across every instance sharing the database. `acquire` is the ledger's claim; `release(id, true)`
 * marks the payment confirmed (final; it is never settled again), `release(id, false)` gives the claim back.
 * The guard interface carries no transaction or response, so a retry is refused rather than answered
 * with the original result; the ledger's own methods record both.
 * @example const facilitator = createFacilitator({ schemes, guard: createLedgerSettlementGuard(storage) })
 */
export function createLedgerSettlementGuard(
  storage: Pick<Storage, 'settlements'>,
  options: LedgerSettlementGuardOptions = {},
): SettlementGuard {
  const owner = options.owner ?? `guard:${randomUUID()}`
  const leaseMs = options.leaseMs ?? 10 * 60_000
  return {
    async acquire(id) {
      const claim = await storage.settlements.claimForSettlement(id, undefined, { owner, leaseMs })
      return claim.claimed
    },
    async release(id, settled) {
      if (settled) await storage.settlements.markConfirmed(id, { owner })
      else await storage.settlements.releaseClaim(id, { owner })
    },
  }
}
