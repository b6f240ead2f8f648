import {
  type PaymentPayload,
  type PaymentRequirements,
  type ReconcileOutcome,
  type ReconcileTarget,
  type SchemeFacilitator,
  type SettleContext,
  type SettleResponse,
  type VerifyResponse,
  X402Error,
} from '@open402/core'
import type { LocalAccount, WalletClient } from 'viem'
import { refuse, toVerifyResponse } from './invalid.js'
import { createNetworkRuntime, type ExactEvmNetworkConfig, type NetworkRuntime } from './network-runtime.js'
import { reconcileTransaction } from './reconcile-transaction.js'
import { settlePayment } from './settle.js'
import { TransactionSender } from './transaction-sender.js'
import { verifyPayment } from './verify.js'

/** A facilitator key: a viem `LocalAccount`, or a `WalletClient` whose account is local. */
export type ExactEvmFacilitatorSigner = LocalAccount | WalletClient

/** Options of {@link exactEvmFacilitator}. */
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

/**
 * The facilitator part of the `exact` scheme on EVM (EIP-3009): verifies with one RPC round trip for an
 * EOA payer and settles with a local nonce manager, cached fees and a receipt timeout.
 * @example exactEvmFacilitator({ signer: privateKeyToAccount(key), networks: { 'eip155:8453': 'https://mainnet.base.org' } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_evm.md
 */
export function exactEvmFacilitator(options: ExactEvmFacilitatorOptions): SchemeFacilitator {
  const accounts = (Array.isArray(options.signer) ? options.signer : [options.signer]).map(toLocalAccount)
  const firstAccount = accounts[0]
  if (!firstAccount) throw new X402Error('invalid_config', 'exactEvmFacilitator needs at least one signer')
  const runtimes = new Map<string, { runtime: NetworkRuntime; senders: TransactionSender[]; next: number }>()
  for (const [network, config] of Object.entries(options.networks)) {
    const runtime = createNetworkRuntime(network, config)
    runtimes.set(network, {
      runtime,
      senders: accounts.map((account) => new TransactionSender(account, runtime)),
      next: 0,
    })
  }
  if (runtimes.size === 0) {
    throw new X402Error(
      'invalid_config',
      "exactEvmFacilitator needs at least one network, e.g. { 'eip155:8453': { rpcUrl } }",
    )
  }
  const settleOptions = {
    simulateInSettle: options.simulateInSettle,
    receiptTimeoutMs: options.receiptTimeoutMs ?? 30_000,
    receiptPollIntervalMs: options.receiptPollIntervalMs ?? 500,
  }
  const configured = [...runtimes.keys()].join(', ')
  const unsupported = (network: string) =>
    refuse('invalid_network', `this facilitator does not serve ${network} for exact; it serves ${configured}`)

  return {
    scheme: 'exact',
    network: 'eip155:*',
    kinds: () =>
      [...runtimes.values()].map(({ runtime }) => ({
        x402Version: 2,
        scheme: 'exact',
        network: runtime.network,
      })),
    signers: () => ({ 'eip155:*': accounts.map((account) => account.address) }),

    async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
      const entry = runtimes.get(requirements.network)
      if (!entry) return toVerifyResponse(unsupported(requirements.network))
      const result = await verifyPayment(entry.runtime, payload, requirements, {
        simulate: true,
        simulateFrom: firstAccount.address,
        now: Math.floor(Date.now() / 1000),
      })
      return result.ok ? { isValid: true, payer: result.payer } : toVerifyResponse(result)
    },

    async settle(
      payload: PaymentPayload,
      requirements: PaymentRequirements,
      context?: SettleContext,
    ): Promise<SettleResponse> {
      const entry = runtimes.get(requirements.network)
      if (!entry) {
        const refusal = unsupported(requirements.network)
        return {
          success: false,
          errorReason: refusal.reason,
          errorMessage: refusal.message,
          transaction: '',
          network: requirements.network,
          status: 'failed',
        }
      }
      const sender = entry.senders[entry.next % entry.senders.length] as TransactionSender
      entry.next += 1
      return settlePayment(entry.runtime, sender, payload, requirements, settleOptions, context)
    },

    async reconcile(target: ReconcileTarget): Promise<ReconcileOutcome> {
      const entry = runtimes.get(target.network)
      if (!entry) return { state: 'unknown' }
      return reconcileTransaction(entry.runtime, target)
    },
  }
}

function toLocalAccount(signer: ExactEvmFacilitatorSigner): LocalAccount {
  const account = 'type' in signer && signer.type === 'local' ? signer : (signer as WalletClient).account
  if (account?.type !== 'local' || !('signTransaction' in account)) {
    throw new X402Error(
      'invalid_config',
      'exactEvmFacilitator: each signer must be a viem LocalAccount (privateKeyToAccount) or a WalletClient created with one',
    )
  }
  return account as LocalAccount
}
