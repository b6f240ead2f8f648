import { formatAtomicUnits, type PaymentRequirements } from '@open402/core'
import { assetDecimals, type CliAssets } from './assets.js'

/** An offer's price: atomic units always, dollars when the asset's decimals are known (a USD stablecoin). */
export interface OfferPrice {
  atomic: string
  decimals: number | null
  /** `"$0.001"`, or null when the asset's decimals are unknown. */
  dollars: string | null
}

export function offerPrice(offer: PaymentRequirements, assets: CliAssets): OfferPrice {
  const decimals = assetDecimals(assets, offer.network, offer.asset)
  return {
    atomic: offer.amount,
    decimals: decimals ?? null,
    dollars: decimals === undefined ? null : `$${formatAtomicUnits(offer.amount, decimals)}`,
  }
}

/** `$0.001 (1000 atomic units)`, or `1000 atomic units (decimals unknown: pass --asset …)`. */
export function priceText(price: OfferPrice): string {
  return price.dollars === null
    ? `${price.atomic} atomic units (decimals unknown: add --asset <network>=<address>:<decimals> for dollars)`
    : `${price.dollars} (${price.atomic} atomic units at ${price.decimals} decimals)`
}
