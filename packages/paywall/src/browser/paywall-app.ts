import { PAYWALL_DATA_ID, type PaywallData, type PaywallOffer } from '../paywall-data.js'
import { discoverEvmWallets, type EvmWallet } from './eip1193-wallets.js'
import { createEvmPayment } from './evm-payment.js'
import { showContent } from './show-content.js'
import type { discoverSolanaWallets, SolanaWallet } from './solana-wallets.js'
import { paymentPayload, refusalOf, settlementOf, submitPayment } from './submit-payment.js'
import type { createSolanaPayment } from './svm-payment.js'
import { describeError, PaywallError } from './wallet-error.js'

// The paywall page's script: finds the browser's wallets, offers one button per wallet under each offer
// it can pay, and on a click signs the payment, requests the page again with PAYMENT-SIGNATURE and shows
// what comes back. Everything the server knows arrives in the JSON block rendered by `createPaywall`.

/** The Solana half, left out of the script served to pages without a Solana offer. */
export interface SolanaSupport {
  discoverSolanaWallets: typeof discoverSolanaWallets
  createSolanaPayment: typeof createSolanaPayment
}

type Wallet = { kind: 'eip1193'; wallet: EvmWallet } | { kind: 'solana'; wallet: SolanaWallet }

let data: PaywallData | undefined
let solana: SolanaSupport | undefined
let status: HTMLElement | null = null
let evmWallets: EvmWallet[] = []
let solanaWallets: SolanaWallet[] = []
let busy = false

function say(message: string, tone: 'info' | 'error' | 'done' = 'info') {
  if (!status) return
  status.textContent = message
  status.dataset.tone = tone
}

function walletsFor(offer: PaywallOffer): Wallet[] {
  if (offer.wallet === 'eip1193') return evmWallets.map((wallet) => ({ kind: 'eip1193', wallet }))
  const chain = offer.solana?.walletChain
  return solanaWallets
    .filter((wallet) => chain === undefined || wallet.chains.includes(chain))
    .map((wallet) => ({ kind: 'solana', wallet }))
}

function render(offers: PaywallOffer[]) {
  for (const offer of offers) {
    const box = document.querySelector(`[data-x402-offer="${offer.index}"] .x402-wallets`)
    if (!box) continue
    const wallets = walletsFor(offer)
    if (wallets.length === 0) {
      const hint = document.createElement('p')
      hint.className = 'x402-hint'
      hint.textContent =
        offer.wallet === 'eip1193'
          ? 'No Ethereum wallet was found in this browser.'
          : 'No Solana wallet was found in this browser.'
      box.replaceChildren(hint)
      continue
    }
    box.replaceChildren(...wallets.map((wallet) => walletButton(offer, wallet)))
  }
}

function walletButton(offer: PaywallOffer, choice: Wallet): HTMLButtonElement {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'x402-button'
  button.setAttribute('aria-describedby', `x402-offer-${offer.index}`)
  if (choice.wallet.icon && /^data:image\/(png|svg\+xml|webp|gif|jpeg)[;,]/.test(choice.wallet.icon)) {
    const icon = document.createElement('img')
    icon.src = choice.wallet.icon
    icon.alt = ''
    icon.width = 20
    icon.height = 20
    button.append(icon)
  }
  button.append(`Pay with ${choice.wallet.name}`)
  button.addEventListener('click', () => void pay(offer, choice))
  return button
}

function setBusy(value: boolean) {
  busy = value
  document.querySelector('.x402-pay')?.setAttribute('aria-busy', String(value))
  for (const button of document.querySelectorAll<HTMLButtonElement>('.x402-button')) {
    button.setAttribute('aria-disabled', String(value))
  }
}

async function pay(offer: PaywallOffer, choice: Wallet) {
  if (busy || !data) return
  const requirements = data.paymentRequired.accepts[offer.index]
  if (!requirements) return
  setBusy(true)
  try {
    say(`Connecting to ${choice.wallet.name}…`)
    let payload: object
    if (choice.kind === 'eip1193') {
      if (!offer.evm) throw new PaywallError('This page does not know the chain of this offer.')
      payload = await createEvmPayment(choice.wallet.provider, requirements, offer.evm, say)
    } else {
      if (!solana) throw new PaywallError('This page cannot pay on Solana.')
      const wallet = choice.wallet
      const account = await wallet.connect()
      say('Preparing the payment…')
      payload = await solana.createSolanaPayment(requirements, offer.solana ?? {}, {
        address: account.address,
        v0: wallet.supportsV0,
        sign: (transaction) => {
          say('Confirm the payment in your wallet…')
          return wallet.signTransaction(account, transaction, offer.solana?.walletChain)
        },
      })
    }
    say('Sending the payment…')
    const response = await submitPayment(paymentPayload(data.paymentRequired, requirements, payload))
    if (!response.ok) {
      say(await refusalOf(response), 'error')
      return
    }
    say('Paid. Loading the content…', 'done')
    const receipt = { ...settlementOf(response), price: offer.price, networkName: offer.networkName }
    await showContent(response, offer.txUrl === undefined ? receipt : { ...receipt, txUrl: offer.txUrl })
  } catch (error) {
    say(describeError(error), 'error')
  } finally {
    setBusy(false)
  }
}

/** Starts the page: reads the embedded data, finds wallets and shows the pay buttons. */
export function startPaywall(solanaSupport?: SolanaSupport): void {
  const source = document.getElementById(PAYWALL_DATA_ID)
  status = document.getElementById('x402-status')
  data = source?.textContent ? (JSON.parse(source.textContent) as PaywallData) : undefined
  solana = solanaSupport
  if (!data) return
  const offers = data.offers
  discoverEvmWallets((wallets) => {
    evmWallets = wallets
    render(offers)
  })
  if (solana) {
    solana.discoverSolanaWallets((wallets) => {
      solanaWallets = wallets
      render(offers)
    })
  } else {
    render(offers)
  }
}
