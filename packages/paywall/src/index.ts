export type { PaywallAsset, PaywallAssets } from './assets.js'
export { createPaywall, type PaywallOptions, type PaywallText } from './create-paywall.js'
export type { PaywallNetwork } from './networks.js'
export type { PaywallColors } from './paywall-styles.js'
