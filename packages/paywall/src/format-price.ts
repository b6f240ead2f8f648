import { formatAtomicUnits } from '@open402/core'
import type { PaywallAsset } from './assets.js'

// Symbols of tokens worth one US dollar each: their prices are shown with a dollar sign.
const DOLLAR_SYMBOL = /^(USD[A-Z0-9.-]*|PYUSD)$/i

/** An amount as the page shows it: `text` such as "$0.01", and the token it is paid in. */
export interface DisplayPrice {
  text: string
  token: string | undefined
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * Formats `amount` (atomic units) of `asset`: "$0.01" for dollar stablecoins (at least two decimals),
 * "12.5" for other tokens with known decimals, and the raw atomic amount when the decimals are unknown.
 */
export function formatPrice(
  amount: string,
  asset: PaywallAsset | undefined,
  decimals?: number,
): DisplayPrice {
  const places = asset?.decimals ?? decimals
  const token = asset?.symbol
  if (places === undefined) return { text: `${amount} atomic units`, token }
  const value = formatAtomicUnits(amount, places)
  const [whole = '0', fraction = ''] = value.split('.')
  if (token !== undefined && DOLLAR_SYMBOL.test(token)) {
    return { text: `$${groupThousands(whole)}.${fraction.padEnd(2, '0')}`, token }
  }
  return { text: fraction === '' ? groupThousands(whole) : `${groupThousands(whole)}.${fraction}`, token }
}
