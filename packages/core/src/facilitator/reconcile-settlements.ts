import type { SchemeRegistry } from '../networks/scheme-registry.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import type { SchemeFacilitator } from '../schemes/types.js'
import type { FacilitatorLedger, UnfinishedSettlement } from './facilitator-ledger.js'
import { withSettlementId } from './settle-once.js'

/** What one `reconcile()` pass of a facilitator ({@link Facilitator.reconcile}) did. */
export interface ReconcileReport {
  /** Unfinished payments looked at. */
  checked: number
  confirmed: number
  failed: number
  /** Still unknown (not found yet, no scheme support, lookup failed): looked at again next pass. */
  unknown: number
}

/** Options of a reconcile pass. */
export interface ReconcileOptions {
  /** Only payments whose record last changed at least this long ago (default 0: all). */
  olderThanMs?: number
}

/**
 * Finishes payments whose transaction was recorded before a broadcast but whose outcome was not (the
 * process died, or the receipt did not come in time): asks the scheme what the chain says and records
 * confirmed or failed. Never signs anything new.
 */
export async function reconcileSettlements(
  ledger: FacilitatorLedger,
  registry: SchemeRegistry<SchemeFacilitator>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, confirmed: 0, failed: 0, unknown: 0 }
  if (!ledger.unfinished || !ledger.complete) return report
  for (const record of await ledger.unfinished(options)) {
    report.checked++
    const state = await reconcileOne(ledger, registry, record)
    report[state]++
  }
  return report
}

async function reconcileOne(
  ledger: FacilitatorLedger,
  registry: SchemeRegistry<SchemeFacilitator>,
  record: UnfinishedSettlement,
): Promise<'confirmed' | 'failed' | 'unknown'> {
  const part = registry.resolve(record.scheme, record.network)
  if (!part?.reconcile) return 'unknown'
  const network = record.network as SettleResponse['network']
  let outcome: Awaited<ReturnType<NonNullable<SchemeFacilitator['reconcile']>>>
  try {
    outcome = await part.reconcile({
      network,
      transaction: record.transaction,
      ...(record.raw === undefined ? {} : { raw: record.raw }),
      ...(record.payer === undefined ? {} : { payer: record.payer }),
    })
  } catch {
    return 'unknown'
  }
  if (outcome.state === 'unknown') return 'unknown'
  const payer = record.payer === undefined ? {} : { payer: record.payer }
  const response: SettleResponse =
    outcome.response ??
    (outcome.state === 'confirmed'
      ? { success: true, transaction: record.transaction, network, ...payer, status: 'confirmed' }
      : {
          success: false,
          errorReason: 'transaction_failed',
          errorMessage: `transaction ${record.transaction} failed on ${network}`,
          transaction: record.transaction,
          network,
          ...payer,
          status: 'failed',
        })
  await ledger.complete?.(record.id, withSettlementId(response, record.id))
  return outcome.state
}
