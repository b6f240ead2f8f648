import { escapeHtml, jsonForScript } from './escape-html.js'
import { PAYWALL_DATA_ID, type PaywallData } from './paywall-data.js'
import type { OfferView } from './paywall-offers.js'

/** Everything one paywall page shows, already chosen for the request. */
export interface PaywallPage {
  title: string
  description: string | undefined
  url: string
  logo: { src: string; alt: string } | undefined
  offers: OfferView[]
  css: string
  /** The page's script, or undefined when no offer can be paid from a browser. */
  script: string | undefined
  data: PaywallData
  nonce: string | undefined
}

function headline(offers: OfferView[]): string {
  const prices = [...new Set(offers.map((offer) => offer.price.text))]
  return prices.join(' or ')
}

function offerItem(offer: OfferView): string {
  const token = offer.price.token === undefined ? '' : ` ${escapeHtml(offer.price.token)}`
  const terms =
    `<p class="x402-terms" id="x402-offer-${offer.index}">${escapeHtml(offer.price.text)}${token} ` +
    `<span>on ${escapeHtml(offer.networkName)}</span></p>`
  const wallets = offer.payable
    ? '<div class="x402-wallets"><noscript><p class="x402-hint">Paying needs JavaScript and a browser wallet.</p></noscript></div>'
    : '<p class="x402-hint">This offer can be paid by an x402 client, not from this page.</p>'
  return `<li class="x402-offer" data-x402-offer="${offer.index}">${terms}${wallets}</li>`
}

/** The HTML document of a paywall: inline CSS and script, the 402 embedded as JSON, no external request. */
export function renderPaywallPage(page: PaywallPage): string {
  const nonce = page.nonce === undefined ? '' : ` nonce="${escapeHtml(page.nonce)}"`
  const logo = page.logo
    ? `<img class="x402-logo" src="${escapeHtml(page.logo.src)}" alt="${escapeHtml(page.logo.alt)}">`
    : ''
  const description =
    page.description === undefined ? '' : `<p class="x402-description">${escapeHtml(page.description)}</p>`
  const script =
    page.script === undefined
      ? ''
      : `<script type="application/json" id="${PAYWALL_DATA_ID}">${jsonForScript(page.data)}</script>` +
        `<script${nonce}>${page.script}</script>`
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(page.title)} · Payment required</title>` +
    `<style${nonce}>${page.css}</style></head><body>` +
    `<main class="x402-card" id="x402-paywall" aria-labelledby="x402-title">${logo}` +
    '<p class="x402-eyebrow">402 · Payment required</p>' +
    `<h1 id="x402-title">${escapeHtml(page.title)}</h1>${description}` +
    `<p class="x402-resource">Resource: <code>${escapeHtml(page.url)}</code></p>` +
    `<p class="x402-price">${escapeHtml(headline(page.offers))}</p>` +
    '<section class="x402-pay" aria-labelledby="x402-pay-title"><h2 id="x402-pay-title">Pay to continue</h2>' +
    `<ul class="x402-offers">${page.offers.map(offerItem).join('')}</ul></section>` +
    '<p class="x402-status" id="x402-status" role="status" aria-live="polite"></p>' +
    '<p class="x402-footer">Programs can pay this URL with any x402 client: the terms are in the ' +
    '<code>PAYMENT-REQUIRED</code> header.</p></main>' +
    `${script}</body></html>`
  )
}
