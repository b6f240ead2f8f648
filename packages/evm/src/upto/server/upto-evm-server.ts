import type {
  AssetAmount,
  Caip2,
  PaymentRequirements,
  Price,
  SchemeServer,
  SupportedKind,
} from '@open402/core'
import { getAddress, isAddress } from 'viem'
import { exactEvmServer } from '../../exact/server/exact-evm-server.js'
import type { EvmAssets } from '../../networks/evm-asset.js'

/** Options of {@link uptoEvmServer}. */
export interface UptoEvmServerOptions {
  /** Assets by network that add to or replace the built-in USDC table, e.g. `{ [devnet.evm.network]: devnet.evm.token }`. */
  assets?: EvmAssets
}

/**
 * The resource-server part of the `upto` scheme on `eip155:*`: a route's price is the MAXIMUM the client
 * authorizes (dollars in the network's USDC or the configured asset, or an `AssetAmount`), with
 * `extra.assetTransferMethod: "permit2"`, the token's EIP-712 domain when known (for EIP-2612 permits), and
 * `extra.facilitatorAddress` from the facilitator's `/supported` kind (the only address that may settle).
 * What is actually charged is decided after the work, at settlement (`requirements.amount` at `/settle`).
 * @example uptoEvmServer({ assets: { 'eip155:31337': devnet.evm.token } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/upto/scheme_upto_evm.md
 */
export function uptoEvmServer(options: UptoEvmServerOptions = {}): SchemeServer {
  const exact = exactEvmServer(options.assets === undefined ? {} : { assets: options.assets })
  return {
    scheme: 'upto',
    network: 'eip155:*',
    price(price: Price, network: Caip2): AssetAmount {
      const priced =
        typeof price === 'object' && price !== null
          ? exact.price({ ...price, extra: { ...price.extra, assetTransferMethod: 'permit2' } }, network)
          : exact.price(price, network)
      return { ...priced, extra: { ...priced.extra, assetTransferMethod: 'permit2' } }
    },
    complete(requirements: PaymentRequirements, kind: SupportedKind): PaymentRequirements {
      const facilitatorAddress = kind.extra?.facilitatorAddress
      if (typeof facilitatorAddress !== 'string' || !isAddress(facilitatorAddress, { strict: false })) {
        return requirements
      }
      return {
        ...requirements,
        extra: { ...requirements.extra, facilitatorAddress: getAddress(facilitatorAddress) },
      }
    },
  }
}
