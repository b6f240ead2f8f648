import {
  type AssetAmount,
  type Caip2,
  isX402Error,
  type Price,
  parseDollars,
  type SchemeServer,
  toAtomicUnits,
  X402Error,
} from '@open402/core'
import type { EvmAsset, EvmAssets } from '../../networks/evm-asset.js'
import { defaultEvmAsset, findEvmAsset } from '../../networks/resolve-asset.js'

/** Options of {@link exactEvmServer}. */
export interface ExactEvmServerOptions {
  /** Assets by network that add to or replace the built-in USDC table, e.g. `{ [devnet.evm.network]: devnet.evm.token }`. */
  assets?: EvmAssets
}

/**
 * The resource-server part of the `exact` scheme on `eip155:*`: turns dollar prices into the network's USDC
 * (or the configured asset) in atomic units, with the token's EIP-712 domain in `extra`, and
 * `extra.assetTransferMethod: "permit2"` for an asset configured with `assetTransferMethod: 'permit2'`.
 * @example exactEvmServer({ assets: { 'eip155:31337': devnet.evm.token } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_evm.md
 */
export function exactEvmServer(options: ExactEvmServerOptions = {}): SchemeServer {
  const { assets } = options
  return {
    scheme: 'exact',
    network: 'eip155:*',
    price(price: Price, network: Caip2): AssetAmount {
      if (typeof price === 'object' && price !== null) return priceAssetAmount(price, network, assets)
      const asset = defaultEvmAsset(network, assets)
      if (!asset) {
        throw new X402Error(
          'invalid_price',
          `no default stablecoin is known for ${network}: configure one with exactEvmServer({ assets: { '${network}': { address, name, version, decimals } } }) or price the route with an AssetAmount { amount, asset, extra: { name, version } }`,
        )
      }
      const dollars = parseDollars(price)
      let amount: bigint
      try {
        amount = toAtomicUnits(dollars, asset.decimals)
      } catch (error) {
        if (isX402Error(error))
          throw new X402Error('invalid_price', `price ${String(price)} on ${network}: ${error.message}`, {
            cause: error,
          })
        throw error
      }
      const priced = {
        amount: amount.toString(),
        asset: asset.address,
        extra: { name: asset.name, version: asset.version },
      }
      return { ...priced, extra: { ...priced.extra, ...transferMethod(asset) } }
    },
  }
}

function priceAssetAmount(price: AssetAmount, network: Caip2, assets: EvmAssets | undefined): AssetAmount {
  if (typeof price.asset !== 'string' || price.asset === '') {
    throw new X402Error('invalid_price', `an AssetAmount price on ${network} needs an asset address`)
  }
  if (typeof price.amount !== 'string' || !/^(0|[1-9][0-9]*)$/.test(price.amount)) {
    throw new X402Error(
      'invalid_price',
      `AssetAmount.amount must be atomic units as a decimal string (e.g. "10000"), got ${JSON.stringify(price.amount)}`,
    )
  }
  const extra = price.extra ?? {}
  const known = findEvmAsset(network, price.asset, assets)
  if (typeof extra.name === 'string' && typeof extra.version === 'string') {
    return known?.assetTransferMethod === 'permit2' && extra.assetTransferMethod === undefined
      ? { ...price, extra: { ...extra, assetTransferMethod: 'permit2' } }
      : price
  }
  // A Permit2 payment is signed in Permit2's domain: the token's own domain is optional (EIP-2612 only).
  if (extra.assetTransferMethod === 'permit2' && !known) return price
  if (!known) {
    throw new X402Error(
      'invalid_price',
      `asset ${price.asset} on ${network} is not a known EIP-3009 token: add extra { name, version } (its EIP-712 domain) to the AssetAmount, or configure it with exactEvmServer({ assets })`,
    )
  }
  return {
    ...price,
    extra: { ...extra, name: known.name, version: known.version, ...transferMethod(known) },
  }
}

function transferMethod(asset: EvmAsset): { assetTransferMethod?: 'permit2' } {
  return asset.assetTransferMethod === 'permit2' ? { assetTransferMethod: 'permit2' } : {}
}
