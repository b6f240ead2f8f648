import type { SvmAsset, SvmAssets } from './svm-asset.js'
import { findSvmNetwork } from './svm-networks.js'

/** The asset a dollar price is paid in on `network`: the configured one, else the table's USDC. */
export function defaultSvmAsset(network: string, assets?: SvmAssets): SvmAsset | undefined {
  return assets?.[network] ?? findSvmNetwork(network)?.usdc
}

/** The configured or built-in asset whose mint is `address` on `network` (base58 compares exactly). */
export function findSvmAsset(network: string, address: string, assets?: SvmAssets): SvmAsset | undefined {
  const configured = assets?.[network]
  if (configured?.address === address) return configured
  const known = findSvmNetwork(network)?.usdc
  return known?.address === address ? known : undefined
}
