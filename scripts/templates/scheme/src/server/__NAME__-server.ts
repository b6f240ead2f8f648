import {
  type AssetAmount,
  type Caip2,
  type Price,
  parseDollars,
  type SchemeServer,
  toAtomicUnits,
  X402Error,
} from '@open402/core'
import { __SCREAMING___SCHEME } from '../shared/__NAME__-payload.js'
import { LEDGER_USD, type LedgerAsset } from '../shared/ledger-assets.js'

/** Options of {@link __CAMEL__Server}. */
export interface __PASCAL__ServerOptions {
  /** The dollar stablecoin by network, for `'$0.01'` prices; default `LUSD` (6 decimals) on every network. */
  assets?: Record<string, LedgerAsset>
}

/**
 * The resource-server part of the `__NAME__` scheme on `ledger:*`: turns a dollar price into atomic units
 * of the network's stablecoin, and checks an explicit `AssetAmount`.
 * @example createResourceServer({ facilitator, schemes: [__CAMEL__Server()] })
 */
export function __CAMEL__Server(options: __PASCAL__ServerOptions = {}): SchemeServer {
  return {
    scheme: __SCREAMING___SCHEME,
    network: 'ledger:*',
    price(price: Price, network: Caip2): AssetAmount {
      if (typeof price === 'object' && price !== null) {
        if (!/^(0|[1-9][0-9]*)$/.test(price.amount) || price.asset === '') {
          throw new X402Error(
            'invalid_price',
            `an AssetAmount on ${network} needs an asset and amount in atomic units as a decimal string, got ${JSON.stringify(price)}`,
          )
        }
        return price
      }
      // TODO(real chain): look up the network's USDC (address, decimals, and whatever the client must sign
      // over, e.g. an EIP-712 domain in `extra`); throw invalid_price for a network without one.
      const asset = options.assets?.[network] ?? LEDGER_USD
      return { amount: toAtomicUnits(parseDollars(price), asset.decimals).toString(), asset: asset.asset }
    },
  }
}
