import type { EvmAsset, EvmAssets } from './evm-asset.js'
import { findEvmNetwork } from './evm-networks.js'

/** The asset a dollar price is paid in on `network`: the configured one, else the table's USDC. */
export function defaultEvmAsset(network: string, assets?: EvmAssets): EvmAsset | undefined {
  return assets?.[network] ?? findEvmNetwork(network)?.usdc
}

/** The configured or built-in asset at `address` on `network` (addresses compare case-insensitively). */
export function findEvmAsset(network: string, address: string, assets?: EvmAssets): EvmAsset | undefined {
  const wanted = address.toLowerCase()
  const configured = assets?.[network]
  if (configured && configured.address.toLowerCase() === wanted) return configured
  const known = findEvmNetwork(network)?.usdc
  return known && known.address.toLowerCase() === wanted ? known : undefined
}
