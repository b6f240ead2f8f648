import type { Caip2 } from '@open402/core'

// TODO(real chain): this module IS the chain. A real scheme deletes it and talks to its chain through an
// RPC client (viem, @solana/kit, the chain's SDK): balances become token balance reads, `submit` becomes
// sending a signed transaction and waiting for its receipt, `isSpent` becomes the chain's replay
// protection (an EIP-3009 nonce, a recent blockhash, a sequence number).

/** A transfer as the ledger executes it: who pays whom, how much of which asset, under which nonce. */
export interface LedgerTransfer {
  from: string
  to: string
  asset: string
  amount: bigint
  nonce: string
  /** The transaction id, known before it is submitted (a hash of the signed authorization). */
  transaction: string
}

/** Why the ledger refused a transfer. */
export type LedgerRefusal = 'nonce_spent' | 'insufficient_balance'

/** Options of {@link createLedger}. */
export interface LedgerOptions {
  /** The CAIP-2 id of this ledger; default `ledger:local`. */
  network?: Caip2
  /** Opening balances: `{ [asset]: { [owner]: amount } }` in atomic units. */
  balances?: Record<string, Record<string, bigint>>
}

/**
 * An in-memory ledger standing in for a chain: balances per asset and owner, spent nonces per payer, the
 * transactions it executed and a clock. Every facilitator part given the same ledger sees the same state,
 * as facilitator instances on one chain do; nothing else is shared between them.
 */
export interface Ledger {
  readonly network: Caip2
  /** The ledger's time, in seconds since the epoch (the wall clock plus {@link Ledger.advanceClock}). */
  now(): number
  /** Makes `seconds` pass on the ledger's clock; returns a function that turns it back. */
  advanceClock(seconds: number): () => void
  balanceOf(owner: string, asset: string): bigint
  /** Credits `owner` with `amount` of `asset` (the faucet of a devnet). */
  mint(owner: string, asset: string, amount: bigint): void
  /** Whether `from` already spent `nonce`. */
  isSpent(from: string, nonce: string): boolean
  /** Executes a transfer atomically, or refuses it and changes nothing. */
  submit(transfer: LedgerTransfer): { ok: true } | { ok: false; refusal: LedgerRefusal }
  /** The transfer executed under `transaction`, if any. */
  transaction(transaction: string): LedgerTransfer | undefined
}

/** The network the template's ledger calls itself: a valid CAIP-2 id (namespace `ledger`, reference `local`). */
export const LEDGER_NETWORK: Caip2 = 'ledger:local'

/**
 * Creates an in-memory ledger.
 * @example const ledger = createLedger({ balances: { LUSD: { [payer.address]: 1_000_000n } } })
 */
export function createLedger(options: LedgerOptions = {}): Ledger {
  const balances = new Map<string, bigint>()
  const spent = new Set<string>()
  const transactions = new Map<string, LedgerTransfer>()
  let clockOffset = 0
  const key = (owner: string, asset: string) => JSON.stringify([asset, owner])
  const balanceOf = (owner: string, asset: string) => balances.get(key(owner, asset)) ?? 0n

  const ledger: Ledger = {
    network: options.network ?? LEDGER_NETWORK,
    now: () => Math.floor(Date.now() / 1000) + clockOffset,
    advanceClock(seconds) {
      clockOffset += seconds
      return () => {
        clockOffset -= seconds
      }
    },
    balanceOf,
    mint(owner, asset, amount) {
      balances.set(key(owner, asset), balanceOf(owner, asset) + amount)
    },
    isSpent: (from, nonce) => spent.has(JSON.stringify([from, nonce])),
    // Synchronous from the first check to the last write, so two submits of one nonce cannot interleave.
    submit(transfer) {
      const nonceKey = JSON.stringify([transfer.from, transfer.nonce])
      if (spent.has(nonceKey)) return { ok: false, refusal: 'nonce_spent' }
      if (balanceOf(transfer.from, transfer.asset) < transfer.amount) {
        return { ok: false, refusal: 'insufficient_balance' }
      }
      spent.add(nonceKey)
      balances.set(
        key(transfer.from, transfer.asset),
        balanceOf(transfer.from, transfer.asset) - transfer.amount,
      )
      balances.set(key(transfer.to, transfer.asset), balanceOf(transfer.to, transfer.asset) + transfer.amount)
      transactions.set(transfer.transaction, { ...transfer })
      return { ok: true }
    },
    transaction: (transaction) => {
      const found = transactions.get(transaction)
      return found && { ...found }
    },
  }
  for (const [asset, owners] of Object.entries(options.balances ?? {})) {
    for (const [owner, amount] of Object.entries(owners)) ledger.mint(owner, asset, amount)
  }
  return ledger
}
