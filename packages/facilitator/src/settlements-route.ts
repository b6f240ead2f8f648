import type { Hono } from 'hono'
import type { FacilitatorRouteGuards } from './create-facilitator-app.js'
import type { RefusalView, SettlementLookup, SettlementView } from './facilitator-storage.js'
import type { FacilitatorEnv } from './http/facilitator-env.js'

const PAYMENT_ID = /^[0-9a-f]{64}$/

/** The public fields of a settlement: never the raw transaction or the claim's holder. */
function viewOf(record: SettlementView) {
  return {
    id: record.id,
    state: record.state,
    scheme: record.scheme,
    network: record.network,
    asset: record.asset,
    amount: record.amount,
    payer: record.payer,
    payTo: record.payTo,
    transaction: record.transaction,
    reason: record.reason,
    message: record.message,
    response: record.response,
    attempts: record.attempts,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  }
}

function refusalOf(refusal: RefusalView | undefined) {
  if (refusal === undefined) return null
  const { stage, reason, message, createdAt } = refusal
  return { stage, reason, message, at: new Date(createdAt).toISOString() }
}

/**
 * `GET /settlements/:id`: a payment's state in the ledger (`verified`, `claimed`, `sending`, `submitted`,
 * `confirmed`, `failed`), its transaction, the answer given and its latest refusal (`lastRefusal`), behind the
 * same API key and rate limit as `/settle`. A payment that was only ever refused answers with state `refused`.
 * The id is the one in a settle answer's `extensions['open402-settlement'].id`. Unknown ids get 404; an
 * unreachable database gets 503 `ledger_unavailable`.
 * @example createFacilitatorApp(facilitator, { routes: settlementRoutes(storage.settlements) })
 */
export function settlementRoutes(settlements: SettlementLookup) {
  return (app: Hono<FacilitatorEnv>, { auth, rateLimit }: FacilitatorRouteGuards): void => {
    app.get('/settlements/:id', auth, rateLimit, async (c) => {
      const id = c.req.param('id').toLowerCase()
      const notFound = () => {
        c.set('reason', 'not_found')
        return c.json({ error: 'not_found', message: `no settlement ${id}` }, 404)
      }
      if (!PAYMENT_ID.test(id)) return notFound()
      let record: SettlementView | undefined
      let refusal: RefusalView | undefined
      try {
        ;[record, refusal] = await Promise.all([settlements.get(id), settlements.lastRefusal?.(id)])
      } catch (error) {
        c.set('reason', 'ledger_unavailable')
        const message = `the settlement ledger is unavailable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
        return c.json({ error: 'ledger_unavailable', message }, 503)
      }
      if (record) return c.json({ ...viewOf(record), lastRefusal: refusalOf(refusal) })
      if (refusal) return c.json({ id, state: 'refused', lastRefusal: refusalOf(refusal) })
      return notFound()
    })
  }
}
