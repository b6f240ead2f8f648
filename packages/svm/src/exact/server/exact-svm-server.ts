import {
  type AssetAmount,
  type Caip2,
  isX402Error,
  type PaymentRequirements,
  type Price,
  parseDollars,
  type SchemeServer,
  type SupportedKind,
  toAtomicUnits,
  X402Error,
} from '@open402/core'
import { isAddress } from '@solana/kit'
import { defaultSvmAsset } from '../../networks/resolve-asset.js'
import type { SvmAssets } from '../../networks/svm-asset.js'

/** Options of {@link exactSvmServer}. */
export interface ExactSvmServerOptions {
  /** Mints by network that add to or replace the built-in USDC table, e.g. `{ [devnet.svm.network]: devnet.svm.mint }`. */
  assets?: SvmAssets
}

/**
 * The resource-server part of the `exact` scheme on `solana:*`: turns dollar prices into the network's USDC
 * (or the configured mint) in atomic units, and names the facilitator's fee payer in `extra.feePayer`.
 * @example exactSvmServer({ assets: { [devnet.svm.network]: devnet.svm.mint } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_svm.md
 */
export function exactSvmServer(options: ExactSvmServerOptions = {}): SchemeServer {
  const { assets } = options
  return {
    scheme: 'exact',
    network: 'solana:*',
    price(price: Price, network: Caip2): AssetAmount {
      if (typeof price === 'object' && price !== null) return checkAssetAmount(price, network)
      const asset = defaultSvmAsset(network, assets)
      if (!asset) {
        throw new X402Error(
          'invalid_price',
          `no default stablecoin is known for ${network}: configure one with exactSvmServer({ assets: { '${network}': { address, decimals } } }) or price the route with an AssetAmount { amount, asset }`,
        )
      }
      const dollars = parseDollars(price)
      try {
        return { amount: toAtomicUnits(dollars, asset.decimals).toString(), asset: asset.address }
      } catch (error) {
        if (isX402Error(error)) {
          throw new X402Error('invalid_price', `price ${String(price)} on ${network}: ${error.message}`, {
            cause: error,
          })
        }
        throw error
      }
    },
    complete(requirements: PaymentRequirements, kind: SupportedKind): PaymentRequirements {
      const feePayer = kind.extra?.feePayer
      if (typeof feePayer !== 'string' || !isAddress(feePayer)) {
        throw new X402Error(
          'invalid_config',
          `the facilitator's /supported kind for exact on ${kind.network} has no extra.feePayer Solana address; it cannot sponsor Solana payments`,
        )
      }
      return { ...requirements, extra: { ...requirements.extra, feePayer } }
    },
  }
}

function checkAssetAmount(price: AssetAmount, network: Caip2): AssetAmount {
  if (typeof price.asset !== 'string' || !isAddress(price.asset)) {
    throw new X402Error(
      'invalid_price',
      `an AssetAmount price on ${network} needs the mint's base58 address as asset, got ${JSON.stringify(price.asset)}`,
    )
  }
  if (typeof price.amount !== 'string' || !/^(0|[1-9][0-9]*)$/.test(price.amount)) {
    throw new X402Error(
      'invalid_price',
      `AssetAmount.amount must be atomic units as a decimal string (e.g. "10000"), got ${JSON.stringify(price.amount)}`,
    )
  }
  return price
}
