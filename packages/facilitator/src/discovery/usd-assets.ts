import { type PaymentRequirements, USD_SCALE } from '@open402/core'
import { EVM_NETWORKS } from '@open402/evm'
import { SVM_NETWORKS } from '@open402/svm'

/** A dollar stablecoin the catalog may price in dollars (`maxPrice=$0.01`). */
export interface UsdAsset {
  network: string
  asset: string
  decimals: number
}

/** Decimals of an asset known to be worth one dollar per whole unit, or `undefined`. */
export type UsdDecimals = (network: string, asset: string) => number | undefined

function key(network: string, asset: string): string {
  return `${network} ${network.startsWith('eip155:') ? asset.toLowerCase() : asset}`
}

/**
 * The dollar stablecoins of the catalog: Circle's USDC on every network built into @open402/evm and
 * @open402/svm, plus `extra` (e.g. the devnet's token, a USDT), which win on the same (network, asset).
 * @example const usdDecimals = createUsdDecimals([{ network: 'eip155:31337', asset: token.address, decimals: 6 }])
 */
export function createUsdDecimals(extra: readonly UsdAsset[] = []): UsdDecimals {
  const table = new Map<string, number>()
  for (const { network, usdc } of EVM_NETWORKS) table.set(key(network, usdc.address), usdc.decimals)
  for (const { network, usdc } of SVM_NETWORKS) if (usdc) table.set(key(network, usdc.address), usdc.decimals)
  for (const asset of extra) table.set(key(asset.network, asset.asset), asset.decimals)
  return (network, asset) => table.get(key(network, asset))
}

/**
 * The offer's price in dollars scaled by 10^18 (what the catalog compares for `maxPrice=$…`), when its asset
 * is a known stablecoin; rounded up past 18 decimals, so a price filter never lists an offer above it.
 */
export function usdAmountOf(offer: PaymentRequirements, usdDecimals: UsdDecimals): bigint | undefined {
  const decimals = usdDecimals(offer.network, offer.asset)
  if (decimals === undefined) return undefined
  const amount = BigInt(offer.amount)
  if (decimals <= USD_SCALE) return amount * 10n ** BigInt(USD_SCALE - decimals)
  const divisor = 10n ** BigInt(decimals - USD_SCALE)
  return (amount + divisor - 1n) / divisor
}
