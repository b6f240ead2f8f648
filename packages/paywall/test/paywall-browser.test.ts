// The paywall in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): a person
// opens the article, sees the paywall, pays with a test wallet whose key is a devnet account, and reads
// the article; the devnet balances moved by the price. Screenshots go to test-artifacts/.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { mintTokens, svmTokenBalance, tokenBalance } from '@open402/devnet'
import { type Browser, chromium, type Page } from 'playwright-core'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { EVM_PAYWALL_SCRIPT } from '../src/generated/paywall-script.js'
import {
  ARTICLE_TEXT,
  ARTICLE_TITLE,
  NOTE,
  type PaywallSite,
  PRICE_ATOMIC,
  startPaywallSite,
} from './support/paywall-site.js'
import { installEvmTestWallet, installSolanaTestWallet } from './support/test-wallets.js'

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url))

let site: PaywallSite
let browser: Browser

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true })
  const [started, launched] = await Promise.all([
    startPaywallSite(),
    chromium.launch({
      executablePath: process.env.OPEN402_CHROMIUM ?? '/usr/bin/chromium',
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    }),
  ])
  site = started
  browser = launched
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 860 } })
  return context.newPage()
}

describe('the paywall in Chromium', () => {
  test('a reader pays with an EIP-1193 wallet (switching and adding the chain) and reads the article', async () => {
    const { evm } = site.devnet
    const page = await newPage()
    const calls = await installEvmTestWallet(page, privateKeyToAccount(evm.accounts.payer.privateKey), {
      startChainId: 1,
      knownChains: [1],
    })
    const [payerBefore, merchantBefore] = await Promise.all([
      tokenBalance(site.devnet, evm.accounts.payer.address),
      tokenBalance(site.devnet, evm.accounts.merchant.address),
    ])

    const response = await page.goto(site.articleUrl)
    expect(response?.status()).toBe(402)
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8')
    expect(response?.headers()['payment-required']).toBeTruthy()
    await expect(page.title()).resolves.toBe(`${ARTICLE_TITLE} · Payment required`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ARTICLE_TITLE)
    await expect(page.locator('.x402-price').textContent()).resolves.toBe('$0.01')
    await expect(page.locator('[data-x402-offer="0"] .x402-terms').textContent()).resolves.toBe(
      '$0.01 USDC on open402 devnet (EVM)',
    )
    const pay = page.getByRole('button', { name: 'Pay with Test EVM Wallet' })
    await pay.waitFor()
    // One button per wallet: window.ethereum is the announced provider, so it is not listed twice.
    await expect(page.locator('[data-x402-offer="0"] button').count()).resolves.toBe(1)
    await page.screenshot({ path: `${ARTIFACTS}paywall.png`, fullPage: true })

    // Keyboard only: focus the button and press Enter.
    await pay.focus()
    await page.keyboard.press('Enter')
    await page.locator('article').getByRole('heading', { name: ARTICLE_TITLE }).waitFor()
    await expect(page.locator('article p').first().textContent()).resolves.toBe(ARTICLE_TEXT)
    const receipt = page.locator('aside.x402-receipt')
    await expect(receipt.textContent()).resolves.toContain('Paid $0.01 USDC on open402 devnet (EVM).')
    const transaction = await receipt.locator('.x402-tx').getAttribute('title')
    expect(transaction).toMatch(/^0x[0-9a-f]{64}$/)
    await page.screenshot({ path: `${ARTIFACTS}unlocked.png`, fullPage: true })

    expect(calls.map((call) => call.method)).toEqual([
      'eth_requestAccounts',
      'eth_chainId',
      'wallet_switchEthereumChain',
      'wallet_addEthereumChain',
      'wallet_switchEthereumChain',
      'eth_signTypedData_v4',
    ])
    expect(calls[3]?.params).toEqual([
      {
        chainId: '0x7a69',
        chainName: 'open402 devnet (EVM)',
        rpcUrls: [evm.rpcUrl],
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      },
    ])
    await expect(tokenBalance(site.devnet, evm.accounts.payer.address)).resolves.toBe(
      payerBefore - PRICE_ATOMIC,
    )
    await expect(tokenBalance(site.devnet, evm.accounts.merchant.address)).resolves.toBe(
      merchantBefore + PRICE_ATOMIC,
    )
    await page.context().close()
  })

  test('a reader pays with a Wallet Standard Solana wallet and reads the article', async () => {
    const { svm } = site.devnet
    const page = await newPage()
    const calls = await installSolanaTestWallet(page, svm.accounts.payer.secretKey)
    const [payerBefore, merchantBefore] = await Promise.all([
      svmTokenBalance(site.devnet, svm.accounts.payer.address),
      svmTokenBalance(site.devnet, svm.accounts.merchant.address),
    ])

    await page.goto(site.articleUrl)
    await expect(page.locator('[data-x402-offer="1"] .x402-terms').textContent()).resolves.toBe(
      '$0.01 USDC on open402 devnet (Solana)',
    )
    // No EVM wallet in this browser: the EVM offer says so, the Solana offer has the wallet's button.
    await expect(page.locator('[data-x402-offer="0"] .x402-hint').textContent()).resolves.toBe(
      'No Ethereum wallet was found in this browser.',
    )
    const pay = page.getByRole('button', { name: 'Pay with Test Solana Wallet' })
    await pay.waitFor()
    await page.screenshot({ path: `${ARTIFACTS}paywall-solana.png`, fullPage: true })

    await pay.click()
    await page.locator('article').getByRole('heading', { name: ARTICLE_TITLE }).waitFor()
    await expect(page.locator('article p').first().textContent()).resolves.toBe(ARTICLE_TEXT)
    const transaction = await page.locator('aside.x402-receipt .x402-tx').getAttribute('title')
    expect(transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    await page.screenshot({ path: `${ARTIFACTS}unlocked-solana.png`, fullPage: true })

    expect(calls.map((call) => call.method)).toEqual(['connect', 'signTransaction'])
    expect(calls[1]?.params).toMatchObject({ chain: 'solana:devnet' })
    await expect(svmTokenBalance(site.devnet, svm.accounts.payer.address)).resolves.toBe(
      payerBefore - PRICE_ATOMIC,
    )
    await expect(svmTokenBalance(site.devnet, svm.accounts.merchant.address)).resolves.toBe(
      merchantBefore + PRICE_ATOMIC,
    )
    await page.context().close()
  })

  test('a wallet without funds is told why the payment was refused, and can pay once funded', async () => {
    // An EVM-only route: the page carries the script without Solana; its content is JSON.
    const page = await newPage()
    const account = privateKeyToAccount(generatePrivateKey())
    const calls = await installEvmTestWallet(page, account, {
      startChainId: site.devnet.evm.chainId,
      knownChains: [site.devnet.evm.chainId],
    })
    const response = await page.goto(site.noteUrl)
    expect(await response?.text()).toContain(EVM_PAYWALL_SCRIPT)
    await expect(page.locator('.x402-offer').count()).resolves.toBe(1)
    const pay = page.getByRole('button', { name: 'Pay with Test EVM Wallet' })
    await pay.click()
    const status = page.getByRole('status')
    await page.locator('#x402-status[data-tone="error"]').waitFor()
    await expect(status.textContent()).resolves.toMatch(
      /^The payment was refused: .+\(invalid_exact_evm_insufficient_balance\)\.$/,
    )
    await expect(pay.getAttribute('aria-disabled')).resolves.toBe('false')
    // Already on the right chain: no switch was asked for.
    expect(calls.map((call) => call.method)).toEqual([
      'eth_requestAccounts',
      'eth_chainId',
      'eth_signTypedData_v4',
    ])

    await mintTokens(site.devnet, account.address, PRICE_ATOMIC)
    await pay.click()
    const content = page.locator('pre.x402-content')
    await content.waitFor()
    expect(JSON.parse((await content.textContent()) ?? '')).toEqual(NOTE)
    await expect(
      page.getByRole('heading', { name: 'Unlocked' }).evaluate((h) => h === document.activeElement),
    ).resolves.toBe(true)
    await expect(page.locator('p.x402-receipt').textContent()).resolves.toMatch(
      /^Paid \$0\.01 USDC on open402 devnet \(EVM\)\. Transaction 0x[0-9a-f]{8}…[0-9a-f]{8}\.$/,
    )
    await expect(tokenBalance(site.devnet, account.address)).resolves.toBe(0n)
    await page.context().close()
  })
})
