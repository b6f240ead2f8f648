import type { DevnetAccount, DevnetDescription } from '@open402/devnet'
import type { Stack } from '../src/stack.js'

/**
 * Which devnet account signs or pays for what. Every facilitator key belongs to one facilitator only: a
 * facilitator tracks its nonces locally and must not see another one send from the same address.
 */
export interface BenchAccounts {
  /** The key of each stack's hosted facilitator (paid end to end, verify). */
  hostedFacilitator: Record<Stack['name'], DevnetAccount>
  /** The keys of the facilitators that only the settle rows use. */
  settleSigners: {
    official: { oneKey: DevnetAccount }
    open402: { oneKey: DevnetAccount; fourKeys: DevnetAccount[] }
  }
  /** Who signs the settle rows' payments; none of them is a facilitator key. */
  settlePayers: DevnetAccount[]
}

/** Settle-row payers at least: the pre-signed payments take turns among them. */
const MIN_SETTLE_PAYERS = 8

/**
 * Splits the devnet's accounts: the hosted facilitators keep the keys they had (open402 the devnet's
 * `facilitator`, official `others[0]`), the settle facilitators take `others[1..6]`, the payers the rest.
 */
export function benchAccounts(devnet: DevnetDescription): BenchAccounts {
  const { facilitator, others } = devnet.evm.accounts
  const other = (index: number): DevnetAccount => {
    const account = others[index]
    if (!account) throw new Error(`the devnet has no others[${index}] for the bench`)
    return account
  }
  const accounts: BenchAccounts = {
    hostedFacilitator: { official: other(0), open402: facilitator },
    settleSigners: {
      official: { oneKey: other(1) },
      open402: { oneKey: other(2), fourKeys: [other(3), other(4), other(5), other(6)] },
    },
    settlePayers: others.slice(7),
  }
  if (accounts.settlePayers.length < MIN_SETTLE_PAYERS)
    throw new Error(`the devnet has ${others.length} others; the bench needs ${7 + MIN_SETTLE_PAYERS}`)
  const signers = [
    ...Object.values(accounts.hostedFacilitator),
    accounts.settleSigners.official.oneKey,
    accounts.settleSigners.open402.oneKey,
    ...accounts.settleSigners.open402.fourKeys,
  ]
  const used = new Set(
    [...signers, ...accounts.settlePayers, devnet.evm.accounts.payer].map((a) => a.address),
  )
  if (used.size !== signers.length + accounts.settlePayers.length + 1)
    throw new Error('bench-accounts.ts: an account is used twice')
  return accounts
}
