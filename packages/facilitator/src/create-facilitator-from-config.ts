import {
  createFacilitator,
  type Facilitator,
  type FacilitatorIdempotencyOptions,
  type FacilitatorLedger,
  type SettlementGuard,
  X402Error,
} from '@open402/core'
import type { ConfiguredChain, SignerBalance } from './chains/configured-chain.js'
import { createEvmChain } from './chains/create-evm-chain.js'
import { createSvmChain } from './chains/create-svm-chain.js'
import type { FacilitatorConfigInput } from './facilitator-config.js'
import { parseFacilitatorConfig } from './facilitator-config.js'
import type { FacilitatorMetrics } from './facilitator-metrics.js'
import type { ReadinessCheck } from './readiness.js'

/** Options of {@link createFacilitatorFromConfig}. */
export interface FacilitatorFromConfigOptions {
  /** Receives per-signer settlement counts and watches the signers' balances. */
  metrics?: FacilitatorMetrics
  /**
   * Records every verify and settle and settles each payment once across instances (e.g.
   * `createStorageSettlementLedger(storage)` from @open402/storage); without it, an in-memory guard.
   */
  ledger?: FacilitatorLedger
  /** Without a ledger: makes each payment settle once (default: in memory). */
  guard?: SettlementGuard
  /** Deduplicates `/verify` and `/settle` by payment identifier (see `createFacilitator`). */
  idempotency?: FacilitatorIdempotencyOptions
}

/** A facilitator built from configuration, with what the service needs around it. */
export interface FacilitatorFromConfig {
  facilitator: Facilitator
  /** One check per configured network (EVM `eth_chainId`, Solana `getGenesisHash`), for `/readyz`. */
  readiness: ReadinessCheck[]
  /** Every signer's native balance reader, for `/metrics`. */
  balances: SignerBalance[]
  chains: ConfiguredChain[]
}

/**
 * Builds an in-process facilitator with the `exact` scheme on every configured EVM and Solana network (and
 * `upto` on the EVM networks that list it),
 * from plain configuration validated first (throws `X402Error('invalid_config')` naming the field).
 *
 * @example
 * const { facilitator, readiness } = await createFacilitatorFromConfig({
 *   evm: [{ network: 'eip155:8453', rpcUrl: 'https://mainnet.base.org', privateKeys: [key] }],
 * })
 */
export async function createFacilitatorFromConfig(
  config: FacilitatorConfigInput,
  options: FacilitatorFromConfigOptions = {},
): Promise<FacilitatorFromConfig> {
  const { evm, svm, rpc } = parseFacilitatorConfig(config)
  if (evm.length === 0 && svm.length === 0) {
    throw new X402Error('invalid_config', 'config: configure at least one network in evm or svm')
  }
  const onSignerSettle = options.metrics?.recordSignerSettle
  const chains: ConfiguredChain[] = [
    ...evm.map((entry) => createEvmChain(entry, { retry: rpc, onSignerSettle })),
    ...(await Promise.all(
      svm.map((entry, index) => createSvmChain(entry, index, { retry: rpc, onSignerSettle })),
    )),
  ]
  const seen = new Set<string>()
  for (const chain of chains) {
    if (seen.has(chain.network))
      throw new X402Error('invalid_config', `config: network ${chain.network} is configured twice`)
    seen.add(chain.network)
  }
  const balances = chains.flatMap((chain) => chain.balances)
  options.metrics?.watchBalances(balances)
  return {
    facilitator: createFacilitator({
      schemes: chains.flatMap((chain) => chain.schemes),
      ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
      ...(options.guard === undefined ? {} : { guard: options.guard }),
      ...(options.idempotency === undefined ? {} : { idempotency: options.idempotency }),
    }),
    readiness: chains.map((chain) => chain.readiness),
    balances,
    chains,
  }
}
