import { evmChainId, type PaymentRequired, type PaymentRequirements } from '@open402/core'
import { findAsset, type PaywallAssets, TOKEN_PROGRAM } from './assets.js'
import { type DisplayPrice, formatPrice } from './format-price.js'
import { type PaywallNetwork, resolveNetwork } from './networks.js'
import type { PaywallOffer } from './paywall-data.js'

/** One entry of `accepts` as the page lists it, with the data its script needs when a wallet can pay it. */
export interface OfferView {
  index: number
  networkName: string
  price: DisplayPrice
  /** Set when a browser wallet can pay the offer (`exact` on an EVM or Solana network). */
  payable: PaywallOffer | undefined
}

/** Where the page looks up networks and tokens. */
export interface OfferSettings {
  networks?: Readonly<Record<string, PaywallNetwork | undefined>>
  assets?: PaywallAssets
}

const ETHER = { name: 'Ether', symbol: 'ETH', decimals: 18 }

/** Describes every offer of a 402 for the page. */
export function describeOffers(paymentRequired: PaymentRequired, settings: OfferSettings): OfferView[] {
  return paymentRequired.accepts.map((requirements, index) => describeOffer(requirements, index, settings))
}

function describeOffer(requirements: PaymentRequirements, index: number, settings: OfferSettings): OfferView {
  const { network } = requirements
  const chain = resolveNetwork(network, settings.networks)
  const asset = findAsset(network, requirements.asset, settings.assets)
  const extraDecimals = requirements.extra?.decimals
  let price: DisplayPrice
  try {
    price = formatPrice(
      requirements.amount,
      asset,
      typeof extraDecimals === 'number' && Number.isInteger(extraDecimals) ? extraDecimals : undefined,
    )
  } catch {
    price = { text: `${requirements.amount} atomic units`, token: undefined }
  }
  const networkName = chain.name ?? fallbackName(network)
  const view: OfferView = { index, networkName, price, payable: undefined }
  if (requirements.scheme !== 'exact') return view
  const priceText = price.token === undefined ? price.text : `${price.text} ${price.token}`
  const base = {
    index,
    networkName,
    price: priceText,
    ...(typeof chain.txUrl === 'string' && chain.txUrl.includes('{tx}') ? { txUrl: chain.txUrl } : {}),
  }
  if (network.startsWith('eip155:')) {
    let chainId: number
    try {
      chainId = evmChainId(network)
    } catch {
      return view
    }
    view.payable = {
      ...base,
      wallet: 'eip1193',
      evm: {
        chainId,
        chainName: networkName,
        rpcUrls: chain.rpcUrl === undefined ? [] : [chain.rpcUrl],
        ...(chain.explorerUrl === undefined ? {} : { blockExplorerUrls: [chain.explorerUrl] }),
        nativeCurrency: chain.nativeCurrency ?? ETHER,
      },
    }
  } else if (network.startsWith('solana:')) {
    view.payable = {
      ...base,
      wallet: 'solana',
      solana: {
        ...(chain.rpcUrl === undefined ? {} : { rpcUrl: chain.rpcUrl }),
        ...(chain.walletChain === undefined ? {} : { walletChain: chain.walletChain }),
        ...(asset === undefined
          ? {}
          : { mint: { decimals: asset.decimals, tokenProgram: asset.tokenProgram ?? TOKEN_PROGRAM } }),
      },
    }
  }
  return view
}

function fallbackName(network: string): string {
  const [namespace = '', reference = ''] = network.split(':')
  if (namespace === 'eip155') return `EVM chain ${reference}`
  if (namespace === 'solana') return `Solana (${reference.slice(0, 8)})`
  return network
}
