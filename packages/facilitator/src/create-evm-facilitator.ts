import { createFacilitator, type FacilitatorClient, type SchemeFacilitator } from '@open402/core'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { privateKeyToAccount } from 'viem/accounts'
import { type FacilitatorConfig, parseFacilitatorConfig } from './facilitator-config.js'

/**
 * Builds an in-process facilitator with the `exact` EVM scheme on every configured network, from plain
 * configuration (validated first; throws `X402Error('invalid_config')`).
 *
 * @example
 * const facilitator = createEvmFacilitatorFromConfig({
 *   evm: [{ network: 'eip155:8453', rpcUrl: 'https://mainnet.base.org', privateKeys: [key] }],
 * })
 */
export function createEvmFacilitatorFromConfig(config: FacilitatorConfig): FacilitatorClient {
  const { evm } = parseFacilitatorConfig(config)
  const keySets = new Set(evm.map((entry) => entry.privateKeys.join(',')))
  const part = (entries: FacilitatorConfig['evm']): SchemeFacilitator =>
    exactEvmFacilitator({
      signer: (entries[0]?.privateKeys ?? []).map((key) => privateKeyToAccount(key)),
      networks: Object.fromEntries(entries.map((entry) => [entry.network, { rpcUrl: entry.rpcUrl }])),
    })
  if (keySets.size <= 1) return createFacilitator({ schemes: evm.length === 0 ? [] : [part(evm)] })
  // Networks settle with different keys: one part per network, registered under its exact id.
  return createFacilitator({ schemes: evm.map((entry) => ({ ...part([entry]), network: entry.network })) })
}
