import { isX402Error, type PaymentRequired } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { createPaywall } from './create-paywall.js'
import { EVM_PAYWALL_SCRIPT, FULL_PAYWALL_SCRIPT } from './generated/paywall-script.js'
import type { PaywallData } from './paywall-data.js'

const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
const evmOffer = {
  scheme: 'exact',
  network: 'eip155:84532' as const,
  amount: '10000',
  asset: BASE_SEPOLIA_USDC,
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
  extra: { name: 'USDC', version: '2' },
}
const solanaOffer = {
  scheme: 'exact',
  network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1' as const,
  amount: '10000',
  asset: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
  payTo: 'CKy5Lpc3zfmaJ8NXxHVV3cS7n4mWu5VCQ6JqXY6ZXAfr',
  maxTimeoutSeconds: 300,
  extra: { feePayer: 'EwWqGE4ZFKLofuestmU4LDdK7XM1N4ALgdZccwYugwGd' },
}
const required = (change: Partial<PaymentRequired> = {}): PaymentRequired => ({
  x402Version: 2,
  error: 'Payment required',
  resource: { url: 'https://news.example/articles/why-402', description: 'Why 402', mimeType: 'text/html' },
  accepts: [evmOffer],
  ...change,
})
const request = new Request('https://news.example/articles/why-402', { headers: { accept: 'text/html' } })

async function render(paymentRequired = required(), options: Parameters<typeof createPaywall>[0] = {}) {
  return createPaywall(options)(paymentRequired, request)
}

function embeddedData(html: string): PaywallData {
  const match = /<script type="application\/json" id="x402-paywall-data">([\s\S]*?)<\/script>/.exec(html)
  if (!match?.[1]) throw new Error('no embedded data')
  return JSON.parse(match[1]) as PaywallData
}

describe('createPaywall', () => {
  test('shows what is for sale, the price in dollars and each offer with its network', async () => {
    const html = await render(required({ accepts: [evmOffer, solanaOffer] }))
    expect(html).toMatch(/^<!doctype html><html lang="en">/)
    expect(html).toContain('<title>Why 402 · Payment required</title>')
    expect(html).toContain('<h1 id="x402-title">Why 402</h1>')
    expect(html).toContain('<code>https://news.example/articles/why-402</code>')
    expect(html).toContain('<p class="x402-price">$0.01</p>')
    expect(html).toContain('$0.01 USDC <span>on Base Sepolia</span>')
    expect(html).toContain('$0.01 USDC <span>on Solana Devnet</span>')
    expect(html).toContain('role="status" aria-live="polite"')
    // The title already is the route's description: it is not repeated below it.
    expect(html).not.toContain('class="x402-description"')
  })

  test('embeds the 402 and what the script needs per offer as JSON', async () => {
    const paymentRequired = required({ accepts: [evmOffer, solanaOffer] })
    const data = embeddedData(await render(paymentRequired))
    expect(data.paymentRequired).toEqual(paymentRequired)
    expect(data.offers).toEqual([
      {
        index: 0,
        networkName: 'Base Sepolia',
        price: '$0.01 USDC',
        txUrl: 'https://sepolia.basescan.org/tx/{tx}',
        wallet: 'eip1193',
        evm: {
          chainId: 84532,
          chainName: 'Base Sepolia',
          rpcUrls: ['https://sepolia.base.org'],
          blockExplorerUrls: ['https://sepolia.basescan.org'],
          nativeCurrency: { name: 'Sepolia Ether', symbol: 'ETH', decimals: 18 },
        },
      },
      {
        index: 1,
        networkName: 'Solana Devnet',
        price: '$0.01 USDC',
        txUrl: 'https://explorer.solana.com/tx/{tx}?cluster=devnet',
        wallet: 'solana',
        solana: {
          rpcUrl: 'https://api.devnet.solana.com',
          walletChain: 'solana:devnet',
          mint: { decimals: 6, tokenProgram: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' },
        },
      },
    ])
  })

  test('serves the small EVM script unless an offer is on Solana, and no script when nothing is payable', async () => {
    expect(await render()).toContain(EVM_PAYWALL_SCRIPT)
    expect(await render()).not.toContain(FULL_PAYWALL_SCRIPT)
    expect(await render(required({ accepts: [evmOffer, solanaOffer] }))).toContain(FULL_PAYWALL_SCRIPT)
    const other = await render(required({ accepts: [{ ...evmOffer, scheme: 'upto' }] }))
    expect(other).not.toContain('<script')
    expect(other).toContain('This offer can be paid by an x402 client, not from this page.')
  })

  test('escapes a hostile title, description and URL in the HTML and in the embedded JSON', async () => {
    const hostile = '</script><script>alert(1)</script><!--'
    const html = await render(
      required({
        resource: { url: `https://news.example/a?q="><img src=x onerror=alert(1)>`, description: hostile },
      }),
      { description: `"'&<b>` },
    )
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--')
    expect(html).toContain('&quot;&#39;&amp;&lt;b&gt;')
    // Exactly the page's own scripts: the JSON block and the inline script.
    expect(html.match(/<script/g)).toHaveLength(2)
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    expect(embeddedData(html).paymentRequired.resource.description).toBe(hostile)
  })

  test('applies title, description, logo, colors and the CSP nonce', async () => {
    const html = await render(required(), {
      title: (paymentRequired) => `Read: ${paymentRequired.resource.description}`,
      description: 'One cent, no account.',
      logo: 'https://news.example/logo.svg',
      logoAlt: 'The Example News',
      colors: { accent: '#b00020', background: 'rgb(250 250 250)' },
      nonce: () => 'r4nd0m',
    })
    expect(html).toContain('<h1 id="x402-title">Read: Why 402</h1>')
    expect(html).toContain('<p class="x402-description">One cent, no account.</p>')
    expect(html).toContain(
      '<img class="x402-logo" src="https://news.example/logo.svg" alt="The Example News">',
    )
    expect(html).toContain('--x402-accent:#b00020')
    expect(html).toContain('--x402-bg:rgb(250 250 250)')
    // Custom colors replace the automatic dark mode.
    expect(html).not.toContain('prefers-color-scheme')
    expect(html).toContain('<style nonce="r4nd0m">')
    expect(html).toContain('<script nonce="r4nd0m">')
  })

  test('defaults to a light palette that follows the system dark mode', async () => {
    const html = await render()
    expect(html).toContain('--x402-accent:#1d4ed8')
    expect(html).toContain('@media (prefers-color-scheme:dark)')
  })

  test('uses configured networks and assets, and falls back to atomic units for unknown tokens', async () => {
    const local = {
      ...evmOffer,
      network: 'eip155:31337' as const,
      asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    }
    const unknown = await render(required({ accepts: [local] }))
    expect(unknown).toContain('10000 atomic units <span>on EVM chain 31337</span>')
    const configured = await render(required({ accepts: [local] }), {
      networks: { 'eip155:31337': { name: 'Local chain', rpcUrl: 'http://127.0.0.1:8545', txUrl: null } },
      assets: { 'eip155:31337': { address: local.asset.toLowerCase(), decimals: 6, symbol: 'USDC' } },
    })
    expect(configured).toContain('$0.01 USDC <span>on Local chain</span>')
    expect(embeddedData(configured).offers[0]).toMatchObject({
      networkName: 'Local chain',
      evm: { chainId: 31337, chainName: 'Local chain', rpcUrls: ['http://127.0.0.1:8545'] },
    })
    expect(embeddedData(configured).offers[0]).not.toHaveProperty('txUrl')
  })

  test.each([
    [
      'a color that could end the style element',
      { colors: { accent: 'red}</style><script>' } },
      'colors.accent',
    ],
    ['a color with a declaration', { colors: { text: 'red; background:url(x)' } }, 'colors.text'],
    ['an unknown color name', { colors: { sparkle: '#fff' } as never }, 'colors.sparkle'],
    ['a logo that is not a string', { logo: 42 as never }, 'logo'],
    ['a nonce that is not a function', { nonce: 'abc' as never }, 'nonce'],
    ['a network rpcUrl that is not a string', { networks: { 'eip155:1': { rpcUrl: 1 as never } } }, 'rpcUrl'],
  ])('refuses %s as invalid_config', (_what, options, mentions) => {
    let error: unknown
    try {
      createPaywall(options)
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain(mentions)
  })
})
