import { type PaymentRequired, type PaywallRenderer, X402Error } from '@open402/core'
import type { PaywallAssets } from './assets.js'
import { EVM_PAYWALL_SCRIPT, FULL_PAYWALL_SCRIPT } from './generated/paywall-script.js'
import type { PaywallNetwork } from './networks.js'
import { describeOffers } from './paywall-offers.js'
import { checkColors, type PaywallColors, paywallStyles } from './paywall-styles.js'
import { renderPaywallPage } from './render-paywall-page.js'

/** A text of the page: fixed, or chosen per 402 (e.g. per route); `undefined` falls back to the default. */
export type PaywallText =
  | string
  | ((paymentRequired: PaymentRequired, request: Request) => string | undefined)

/** Options of {@link createPaywall}. */
export interface PaywallOptions {
  /** The heading: what is for sale. Default: the route's `description`, else "Paid content". */
  title?: PaywallText
  /** A sentence under the heading. Default: the route's `description` when it is not already the title. */
  description?: PaywallText
  /** URL of a logo shown above the heading. */
  logo?: string
  /** The logo's text alternative (default: empty, as a decorative image). */
  logoAlt?: string
  /** The page's colors; unset ones keep the defaults. */
  colors?: PaywallColors
  /**
   * Networks by CAIP-2 id: display name, RPC endpoint, explorer, Solana wallet chain. They override the
   * built-in entries of public networks; a local chain needs at least `name` (and `rpcUrl` for Solana).
   */
  networks?: Record<string, PaywallNetwork>
  /** Tokens by CAIP-2 network, for prices and Solana mints; Circle's USDC is built in. */
  assets?: PaywallAssets
  /** The CSP nonce of the request, put on the page's `<style>` and `<script>` elements. */
  nonce?: (request: Request) => string | undefined
}

function pick(text: PaywallText | undefined, paymentRequired: PaymentRequired, request: Request) {
  const value = typeof text === 'function' ? text(paymentRequired, request) : text
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

function checkOptions(options: PaywallOptions): void {
  checkColors(options.colors)
  for (const name of ['title', 'description'] as const) {
    const value = options[name]
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'function') {
      throw new X402Error('invalid_config', `createPaywall: ${name} must be a string or a function`)
    }
  }
  for (const name of ['logo', 'logoAlt'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') {
      throw new X402Error('invalid_config', `createPaywall: ${name} must be a string`)
    }
  }
  if (options.nonce !== undefined && typeof options.nonce !== 'function') {
    throw new X402Error('invalid_config', 'createPaywall: nonce must be a function of the request')
  }
  for (const [network, settings] of Object.entries(options.networks ?? {})) {
    for (const field of ['name', 'rpcUrl', 'explorerUrl', 'walletChain'] as const) {
      const value = settings?.[field]
      if (value !== undefined && typeof value !== 'string') {
        throw new X402Error(
          'invalid_config',
          `createPaywall: networks['${network}'].${field} must be a string`,
        )
      }
    }
  }
}

/**
 * The HTML 402 page for browsers, to pass as the `paywall` option of any open402 adapter: it shows what
 * is for sale and its price, and lets a person pay with an EIP-1193 wallet (and a Wallet Standard Solana
 * wallet when the route accepts Solana), then shows the content.
 * @example app.use(paymentMiddleware(server, { routes, paywall: createPaywall({ title: 'Premium' }) }))
 */
export function createPaywall(options: PaywallOptions = {}): PaywallRenderer {
  checkOptions(options)
  const css = paywallStyles(options.colors)
  const logo = options.logo === undefined ? undefined : { src: options.logo, alt: options.logoAlt ?? '' }
  const settings = { networks: options.networks, assets: options.assets }
  return (paymentRequired, request) => {
    const offers = describeOffers(paymentRequired, settings)
    const payable = offers.flatMap((offer) => (offer.payable ? [offer.payable] : []))
    const routeDescription = pick(paymentRequired.resource.description, paymentRequired, request)
    const title = pick(options.title, paymentRequired, request) ?? routeDescription ?? 'Paid content'
    const description =
      pick(options.description, paymentRequired, request) ??
      (routeDescription !== title ? routeDescription : undefined)
    const script =
      payable.length === 0
        ? undefined
        : payable.some((offer) => offer.wallet === 'solana')
          ? FULL_PAYWALL_SCRIPT
          : EVM_PAYWALL_SCRIPT
    return renderPaywallPage({
      title,
      description,
      url: paymentRequired.resource.url,
      logo,
      offers,
      css,
      script,
      data: { paymentRequired, offers: payable },
      nonce: options.nonce?.(request),
    })
  }
}
