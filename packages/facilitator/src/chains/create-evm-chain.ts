import { type SchemeFacilitator, X402Error } from '@open402/core'
import { exactEvmFacilitator, uptoEvmFacilitator } from '@open402/evm/facilitator'
import { createPublicClient, hexToNumber } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { EvmNetworkConfig } from '../facilitator-config.js'
import type { ConfiguredChain, SignerSettleHook } from './configured-chain.js'
import { createEvmRpcTransport } from './evm-rpc-transport.js'
import type { RpcRetryOptions } from './rpc-retry.js'

/** Options of {@link createEvmChain}. */
export interface EvmChainOptions {
  retry?: RpcRetryOptions
  onSignerSettle?: SignerSettleHook
}

/**
 * The `exact` EVM scheme (and `upto` when configured) on one network with one or more keys. Each key gets its own part (its own nonce
 * manager) over one shared RPC client; settlements go to the keys in turn, so the signer of each one is
 * known and reported through `onSignerSettle`. Verify uses the first key as the simulation sender.
 */
export function createEvmChain(config: EvmNetworkConfig, options: EvmChainOptions = {}): ConfiguredChain {
  const { network, rpcUrl } = config
  const client = createPublicClient({ transport: createEvmRpcTransport(rpcUrl, options.retry) })
  const accounts = config.privateKeys.map((key) => privateKeyToAccount(key))
  const parts = accounts.map((account) =>
    exactEvmFacilitator({
      signer: account,
      networks: { [network]: { client } },
      ...(config.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: config.receiptTimeoutMs }),
    }),
  )
  const first = parts[0]
  if (!first)
    throw new X402Error('invalid_config', `config.evm ${network}: privateKeys must list at least one key`)
  const addresses = accounts.map((account) => account.address)
  const chainId = Number(network.slice('eip155:'.length))
  let next = 0

  const scheme: SchemeFacilitator = {
    scheme: 'exact',
    network,
    kinds: () => first.kinds(),
    signers: () => ({ 'eip155:*': [...addresses] }),
    verify: (payload, requirements) => first.verify(payload, requirements),
    settle(payload, requirements, context) {
      const index = next++ % parts.length
      options.onSignerSettle?.(network, addresses[index] as string)
      return (parts[index] as SchemeFacilitator).settle(payload, requirements, context)
    },
    // Every part reads the same chain: any of them can look a transaction up.
    reconcile: (target) => first.reconcile?.(target) ?? Promise.resolve({ state: 'unknown' }),
  }

  const schemes: SchemeFacilitator[] = []
  if (config.schemes.includes('exact')) schemes.push(scheme)
  if (config.schemes.includes('upto')) {
    // The same account objects and client as the exact parts: each key keeps one nonce for both schemes.
    // A payer names one facilitator key (the first, in /supported); upto settles from the key it names.
    schemes.push(
      uptoEvmFacilitator({
        signer: accounts,
        networks: { [network]: { client } },
        ...(config.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: config.receiptTimeoutMs }),
      }),
    )
  }

  return {
    network,
    schemes,
    readiness: {
      name: `rpc ${network}`,
      async check() {
        const answer = await client.request({ method: 'eth_chainId' }, { retryCount: 0 })
        const actual = hexToNumber(answer)
        if (actual !== chainId) throw new Error(`eth_chainId is ${actual}, expected ${chainId}`)
      },
    },
    balances: addresses.map((signer) => ({
      network,
      signer,
      read: () => client.getBalance({ address: signer }),
    })),
  }
}
