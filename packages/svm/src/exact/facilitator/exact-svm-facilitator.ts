import {
  createMemorySettlementGuard,
  type PaymentPayload,
  type PaymentRequirements,
  type ReconcileOutcome,
  type ReconcileTarget,
  type SchemeFacilitator,
  type SettleContext,
  type SettlementGuard,
  type SettleResponse,
  type SupportedKind,
  type VerifyResponse,
  X402Error,
} from '@open402/core'
import type { TransactionPartialSigner } from '@solana/kit'
import { MAX_COMPUTE_UNIT_LIMIT, MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS } from '../../shared/programs.js'
import type { SponsorPolicy } from './check-transaction.js'
import { refuse, toSettleFailure, toVerifyResponse } from './invalid.js'
import { createNetworkRuntime, type ExactSvmNetworkConfig, type NetworkRuntime } from './network-runtime.js'
import { reconcileSignature } from './reconcile-signature.js'
import { settlePayment } from './settle.js'
import { verifyPayment } from './verify.js'

/** Options of {@link exactSvmFacilitator}. */
export interface ExactSvmFacilitatorOptions {
  /** The fee payers: `KeyPairSigner`s (or any Kit partial signer). Network i advertises signer i mod n. */
  signers: TransactionPartialSigner[]
  /** The networks served, by CAIP-2 id: an RPC URL, `{ rpcUrl }` or `{ rpc }` (a Kit `Rpc`). */
  networks: Record<string, ExactSvmNetworkConfig>
  /** Highest priority fee sponsored, in microlamports per CU; default 5 000 000 (5 lamports/CU). */
  maxComputeUnitPrice?: bigint | number
  /** Highest compute unit limit sponsored; default 400 000. */
  maxComputeUnitLimit?: number
  /** How long `settle` waits for confirmation before answering `pending`; default 30 000 ms. */
  confirmTimeoutMs?: number
  /** Longest pause between status polls; default 500 ms (the first polls come sooner). */
  pollIntervalMs?: number
  /** Simulate in `settle` before sending without preflight (same RPC count); default false: preflight. */
  simulateInSettle?: boolean
  /** Settles each transaction (keyed by its signature) once; default: in memory, 10 minutes. */
  guard?: SettlementGuard
}

/**
 * The facilitator part of the `exact` scheme on Solana: checks the transaction's layout and every sponsor
 * rule locally, co-signs as fee payer, simulates (verify: one RPC call), and settles each transaction once.
 * @example exactSvmFacilitator({ signers: [feePayer], networks: { 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': 'https://api.devnet.solana.com' } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_svm.md
 */
export function exactSvmFacilitator(options: ExactSvmFacilitatorOptions): SchemeFacilitator {
  const signers = new Map<string, TransactionPartialSigner>()
  for (const signer of options.signers ?? []) {
    if (typeof signer?.address !== 'string' || typeof signer.signTransactions !== 'function') {
      throw new X402Error(
        'invalid_config',
        'exactSvmFacilitator: each signer must be a @solana/kit KeyPairSigner (or a TransactionPartialSigner)',
      )
    }
    signers.set(signer.address, signer)
  }
  const addresses = [...signers.keys()]
  if (addresses.length === 0)
    throw new X402Error('invalid_config', 'exactSvmFacilitator needs at least one signer')
  const runtimes = new Map<string, NetworkRuntime>()
  for (const [network, config] of Object.entries(options.networks ?? {})) {
    runtimes.set(network, createNetworkRuntime(network, config))
  }
  if (runtimes.size === 0) {
    throw new X402Error(
      'invalid_config',
      "exactSvmFacilitator needs at least one network, e.g. { 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': { rpcUrl } }",
    )
  }
  const policy: SponsorPolicy = {
    feePayers: new Set(addresses),
    maxComputeUnitPriceMicroLamports: BigInt(
      options.maxComputeUnitPrice ?? MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
    ),
    maxComputeUnitLimit: options.maxComputeUnitLimit ?? MAX_COMPUTE_UNIT_LIMIT,
  }
  const settleOptions = {
    simulateInSettle: options.simulateInSettle ?? false,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    guard: options.guard ?? createMemorySettlementGuard(),
  }
  // Built once: resource servers cache requirements per kind object.
  const kinds: SupportedKind[] = [...runtimes.values()].map(({ network }, index) => ({
    x402Version: 2,
    scheme: 'exact',
    network,
    extra: { feePayer: addresses[index % addresses.length] as string },
  }))
  const served = [...runtimes.keys()].join(', ')
  const unsupported = (network: string) =>
    refuse('invalid_network', `this facilitator does not serve ${network} for exact; it serves ${served}`)

  return {
    scheme: 'exact',
    network: 'solana:*',
    kinds: () => kinds,
    signers: () => ({ 'solana:*': [...addresses] }),

    async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
      const runtime = runtimes.get(requirements.network)
      if (!runtime) return toVerifyResponse(unsupported(requirements.network))
      const result = await verifyPayment(runtime, signers, policy, payload, requirements, { simulate: true })
      return result.ok ? { isValid: true, payer: result.payer } : toVerifyResponse(result)
    },

    async settle(
      payload: PaymentPayload,
      requirements: PaymentRequirements,
      context?: SettleContext,
    ): Promise<SettleResponse> {
      const runtime = runtimes.get(requirements.network)
      if (!runtime) return toSettleFailure(unsupported(requirements.network), requirements.network)
      return settlePayment(runtime, signers, policy, payload, requirements, settleOptions, context)
    },

    async reconcile(target: ReconcileTarget): Promise<ReconcileOutcome> {
      const runtime = runtimes.get(target.network)
      if (!runtime) return { state: 'unknown' }
      return reconcileSignature(runtime, target)
    },
  }
}
