import { X402Error } from '@open402/core'
import type { LocalAccount, WalletClient } from 'viem'
import { type Refusal, refuse } from './invalid.js'
import { createNetworkRuntime, type ExactEvmNetworkConfig, type NetworkRuntime } from './network-runtime.js'
import type { SettleOptions } from './send-settlement.js'
import { TransactionSender } from './transaction-sender.js'

/** A facilitator key: a viem `LocalAccount`, or a `WalletClient` whose account is local. */
export type ExactEvmFacilitatorSigner = LocalAccount | WalletClient

/** Options of `exactEvmFacilitator` and `uptoEvmFacilitator`. */
export interface ExactEvmFacilitatorOptions {
  /** The key(s) that send settlements and pay gas; several keys are used in turn. */
  signer: ExactEvmFacilitatorSigner | ExactEvmFacilitatorSigner[]
  /** The networks served, by CAIP-2 id: an RPC URL, or `{ rpcUrl | transport | client, gasLimit?, … }`. */
  networks: Record<string, ExactEvmNetworkConfig | string>
  /** How long `settle` waits for a receipt before answering `pending`; default 30 000 ms. */
  receiptTimeoutMs?: number
  /** Longest pause between receipt polls; default 500 ms (the first polls come sooner). */
  receiptPollIntervalMs?: number
  /**
   * Simulate the transfer in `settle` before sending it (one more round trip): `true` always, `false` never;
   * by default only when this facilitator did not verify the same payment moments ago (a caller that settles
   * without verifying, or a payment verified on another instance), so a spent or unfunded payment is refused
   * before any gas is paid, and the usual verify-then-settle costs no extra round trip.
   */
  simulateInSettle?: boolean
}

/** A served network: its runtime and one sender per key. */
export interface NetworkEntry {
  runtime: NetworkRuntime
  senders: TransactionSender[]
  next: number
}

/** What both EVM facilitator parts build from their options once. */
export interface FacilitatorSetup {
  accounts: LocalAccount[]
  networks: Map<string, NetworkEntry>
  settleOptions: SettleOptions
  /** The refusal of a network this facilitator does not serve. */
  unsupported(network: string): Refusal
}

/** Builds keys, network runtimes and senders; throws `X402Error('invalid_config')` on bad options. */
export function setUpFacilitator(
  options: ExactEvmFacilitatorOptions,
  part: string,
  scheme: string,
): FacilitatorSetup {
  const accounts = (Array.isArray(options.signer) ? options.signer : [options.signer]).map((signer) =>
    toLocalAccount(signer, part),
  )
  if (accounts.length === 0) throw new X402Error('invalid_config', `${part} needs at least one signer`)
  const networks = new Map<string, NetworkEntry>()
  for (const [network, config] of Object.entries(options.networks)) {
    const runtime = createNetworkRuntime(network, config)
    networks.set(network, {
      runtime,
      senders: accounts.map((account) => new TransactionSender(account, runtime)),
      next: 0,
    })
  }
  if (networks.size === 0) {
    throw new X402Error(
      'invalid_config',
      `${part} needs at least one network, e.g. { 'eip155:8453': { rpcUrl } }`,
    )
  }
  const configured = [...networks.keys()].join(', ')
  return {
    accounts,
    networks,
    settleOptions: {
      simulateInSettle: options.simulateInSettle,
      receiptTimeoutMs: options.receiptTimeoutMs ?? 30_000,
      receiptPollIntervalMs: options.receiptPollIntervalMs ?? 500,
    },
    unsupported: (network) =>
      refuse(
        'invalid_network',
        `this facilitator does not serve ${network} for ${scheme}; it serves ${configured}`,
      ),
  }
}

/** The next sender of a network, keys used in turn. */
export function nextSender(entry: NetworkEntry): TransactionSender {
  const sender = entry.senders[entry.next % entry.senders.length] as TransactionSender
  entry.next += 1
  return sender
}

function toLocalAccount(signer: ExactEvmFacilitatorSigner, part: string): LocalAccount {
  const account = 'type' in signer && signer.type === 'local' ? signer : (signer as WalletClient).account
  if (account?.type !== 'local' || !('signTransaction' in account)) {
    throw new X402Error(
      'invalid_config',
      `${part}: each signer must be a viem LocalAccount (privateKeyToAccount) or a WalletClient created with one`,
    )
  }
  return account as LocalAccount
}
