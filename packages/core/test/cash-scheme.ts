// A test-only "cash" scheme: the facilitator keeps balances in a Map. It exists so that core's HTTP and
// dispatch behaviour can be unit-tested without a chain; real schemes are tested against the devnet.

import { parseDollars } from '../src/money/parse-dollars.js'
import { toAtomicUnits } from '../src/money/to-atomic-units.js'
import type { Caip2 } from '../src/networks/caip2.js'
import type { SettleResponse } from '../src/schemas/facilitator.js'
import type { SchemeClient, SchemeFacilitator, SchemeServer } from '../src/schemes/types.js'

export const CASH_NETWORK = 'cash:test' as Caip2
export const CASH_ASSET = 'USD'
export const CASH_DECIMALS = 2

export function cashClient(
  payer: string,
  network: SchemeClient['network'] = 'cash:*',
): SchemeClient & { calls: number } {
  return {
    scheme: 'cash',
    network,
    calls: 0,
    payer: () => payer,
    decimals: (_network, asset) => (asset === CASH_ASSET ? CASH_DECIMALS : undefined),
    async createPayload(requirements) {
      this.calls++
      return { from: payer, to: requirements.payTo, amount: requirements.amount, nonce: crypto.randomUUID() }
    },
  }
}

export function cashServer(): SchemeServer {
  return {
    scheme: 'cash',
    network: 'cash:*',
    price(price) {
      if (typeof price === 'object') return price
      return {
        amount: toAtomicUnits(parseDollars(price), CASH_DECIMALS).toString(),
        asset: CASH_ASSET,
        extra: { unit: 'cent' },
      }
    },
    complete(requirements, kind) {
      return { ...requirements, extra: { ...requirements.extra, ...kind.extra } }
    },
  }
}

export interface CashFacilitator extends SchemeFacilitator {
  balances: Map<string, bigint>
  settled: SettleResponse[]
  /** Test knobs. */
  behaviour: {
    settleDelayMs?: number
    settleResult?: Partial<SettleResponse>
    throwOnVerify?: string
    throwOnSettle?: string
    /** Settle any amount up to the authorized one (`requirements.amount` is the charge), as `upto` does. */
    upto?: boolean
  }
}

export function cashFacilitator(
  balances: Record<string, number> = {},
  network: SchemeFacilitator['network'] = 'cash:*',
): CashFacilitator {
  const ledger = new Map(Object.entries(balances).map(([k, v]) => [k, BigInt(v)]))
  const used = new Set<string>()
  let tx = 0
  const facilitator: CashFacilitator = {
    scheme: 'cash',
    network,
    balances: ledger,
    settled: [],
    behaviour: {},
    kinds: () => [{ x402Version: 2, scheme: 'cash', network: CASH_NETWORK, extra: { vault: 'v1' } }],
    signers: () => ({ 'cash:*': ['vault'] }),
    extensions: () => ['bazaar'],
    async verify(payload, requirements) {
      if (facilitator.behaviour.throwOnVerify) throw new Error(facilitator.behaviour.throwOnVerify)
      const p = payload.payload as { from?: string; to?: string; amount?: string; nonce?: string }
      const payer = p.from ?? ''
      if (p.to !== requirements.payTo)
        return { isValid: false, invalidReason: 'invalid_payload', invalidMessage: 'wrong payee', payer }
      if (p.amount !== requirements.amount)
        return { isValid: false, invalidReason: 'invalid_payload', invalidMessage: 'wrong amount', payer }
      if (p.nonce && used.has(p.nonce))
        return { isValid: false, invalidReason: 'invalid_transaction_state', payer }
      if ((ledger.get(payer) ?? 0n) < BigInt(requirements.amount)) {
        return {
          isValid: false,
          invalidReason: 'insufficient_funds',
          invalidMessage: `${payer} has too little cash`,
          payer,
        }
      }
      return { isValid: true, payer }
    },
    async settle(payload, requirements) {
      if (facilitator.behaviour.throwOnSettle) throw new Error(facilitator.behaviour.throwOnSettle)
      const authorized = (payload.payload as { amount?: string }).amount ?? ''
      const upto = facilitator.behaviour.upto && BigInt(requirements.amount) <= BigInt(authorized || '0')
      const check = await facilitator.verify(
        payload,
        upto ? { ...requirements, amount: authorized } : requirements,
      )
      if (!check.isValid) {
        return {
          success: false,
          errorReason: check.invalidReason ?? 'invalid_payload',
          transaction: '',
          network: requirements.network,
        }
      }
      if (facilitator.behaviour.settleDelayMs)
        await new Promise((r) => setTimeout(r, facilitator.behaviour.settleDelayMs))
      const p = payload.payload as { from: string; nonce?: string }
      const result: SettleResponse = {
        success: true,
        payer: p.from,
        transaction: `cash-tx-${++tx}`,
        network: requirements.network,
        ...facilitator.behaviour.settleResult,
      }
      if (result.success) {
        if (p.nonce) used.add(p.nonce)
        ledger.set(p.from, (ledger.get(p.from) ?? 0n) - BigInt(requirements.amount))
      }
      facilitator.settled.push(result)
      return result
    },
  }
  return facilitator
}
