import {
  type Caip2,
  type PayloadContext,
  type PaymentRequirements,
  type SchemeClient,
  X402Error,
} from '@open402/core'
import { type Address, isAddress } from 'viem'
import type { EvmAssets } from '../../networks/evm-asset.js'
import { findEvmAsset } from '../../networks/resolve-asset.js'
import {
  declaredExtensions,
  type EvmClientRpc,
  type EvmPayer,
  resolvePayer,
  rpcClients,
  setEip2612Extension,
} from '../../shared/client-signer.js'
import {
  eip2612ExtensionFor,
  type Permit2Options,
  signPermit2Authorization,
} from '../../shared/sign-permit2.js'

/** Options of {@link uptoEvmClient}: who pays, and optionally assets and RPC endpoints. */
export type UptoEvmClientOptions = EvmPayer & {
  /** Assets beyond the built-in table (e.g. the devnet token), used for `decimals()`. */
  assets?: EvmAssets
  /** Seconds `witness.validAfter` is set before now; default 600. */
  validAfterSkewSeconds?: number
  /**
   * RPC endpoints by network, used only when the resource server declared `eip2612GasSponsoring`: when the
   * payer's allowance for Permit2 is short, the client signs an EIP-2612 permit for it.
   */
  rpc?: EvmClientRpc
}

/**
 * The client part of the `upto` scheme on `eip155:*`: signs a Permit2 witness transfer of at most
 * `requirements.amount` for the x402 upto proxy, to `payTo`, that only the facilitator named in
 * `extra.facilitatorAddress` can settle. The server charges what was used, up to that maximum.
 * The payer needs an allowance for Permit2 on the token (or a route declaring `eip2612GasSponsoring`).
 * @example uptoEvmClient({ account: privateKeyToAccount(key) })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/upto/scheme_upto_evm.md
 */
export function uptoEvmClient(options: UptoEvmClientOptions): SchemeClient {
  const { address, sign } = resolvePayer(options, 'uptoEvmClient')
  const timing: Permit2Options = {}
  if (options.validAfterSkewSeconds !== undefined)
    timing.validAfterSkewSeconds = options.validAfterSkewSeconds
  const rpcFor = rpcClients(options.rpc)
  return {
    scheme: 'upto',
    network: 'eip155:*',
    payer: (_network: Caip2) => address,
    decimals: (network: Caip2, asset: string) => findEvmAsset(network, asset, options.assets)?.decimals,
    async createPayload(requirements: PaymentRequirements, context: PayloadContext) {
      const facilitator = requirements.extra?.facilitatorAddress
      if (typeof facilitator !== 'string' || !isAddress(facilitator, { strict: false })) {
        throw new X402Error(
          'invalid_config',
          `upto requirements for ${requirements.network} lack extra.facilitatorAddress (the facilitator that may settle the payment, from its /supported kind); got ${JSON.stringify(facilitator)}`,
        )
      }
      const payload = await signPermit2Authorization(sign, address, requirements, {
        ...timing,
        facilitator: facilitator as Address,
      })
      setEip2612Extension(
        context,
        await eip2612ExtensionFor(
          sign,
          address,
          requirements,
          payload,
          declaredExtensions(context),
          rpcFor(requirements.network),
        ),
      )
      return { ...payload }
    },
  }
}
