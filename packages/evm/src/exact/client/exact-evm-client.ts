import type { Caip2, PayloadContext, PaymentRequirements, SchemeClient } from '@open402/core'
import type { Address } from 'viem'
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
  type AnyTypedDataSigner,
  eip2612ExtensionFor,
  type Permit2Options,
  signPermit2Authorization,
} from '../../shared/sign-permit2.js'
import { type AuthorizationOptions, signTransferAuthorization } from './sign-authorization.js'

/** Who pays: a viem `LocalAccount` (e.g. `privateKeyToAccount`), or a `WalletClient` that has an account. */
export type ExactEvmClientOptions = EvmPayer & {
  /** Assets beyond the built-in table (e.g. the devnet token), used for `decimals()`. */
  assets?: EvmAssets
  /** Seconds `validAfter` is set before now; default 600. */
  validAfterSkewSeconds?: number
  /**
   * RPC endpoints by network, used only for Permit2 offers whose resource server declared
   * `eip2612GasSponsoring`: when the payer's allowance for Permit2 is short, the client signs an EIP-2612
   * permit for it and the facilitator submits it with the payment.
   */
  rpc?: EvmClientRpc
}

/**
 * The client part of the `exact` scheme on `eip155:*`: signs an EIP-3009 authorization for the payment, or,
 * when the offer says `extra.assetTransferMethod: "permit2"`, a Permit2 witness transfer for the x402 exact
 * Permit2 proxy.
 * @example exactEvmClient({ account: privateKeyToAccount(key) })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_evm.md
 */
export function exactEvmClient(options: ExactEvmClientOptions): SchemeClient {
  const { address, sign } = resolvePayer(options, 'exactEvmClient')
  const timing: AuthorizationOptions = {}
  if (options.validAfterSkewSeconds !== undefined)
    timing.validAfterSkewSeconds = options.validAfterSkewSeconds
  const eip3009 = eip3009Client(options, address, sign, timing)
  const rpcFor = rpcClients(options.rpc)
  const permit2Timing: Permit2Options = {}
  if (options.validAfterSkewSeconds !== undefined)
    permit2Timing.validAfterSkewSeconds = options.validAfterSkewSeconds
  return {
    ...eip3009,
    async createPayload(requirements: PaymentRequirements, context: PayloadContext) {
      if (requirements.extra?.assetTransferMethod !== 'permit2') {
        return eip3009.createPayload(requirements, context)
      }
      const payload = await signPermit2Authorization(sign, address, requirements, permit2Timing)
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

/** The EIP-3009 part: signs a `TransferWithAuthorization` for the offer. */
function eip3009Client(
  options: ExactEvmClientOptions,
  address: Address,
  sign: AnyTypedDataSigner,
  timing: AuthorizationOptions,
): SchemeClient {
  return {
    scheme: 'exact',
    network: 'eip155:*',
    payer: (_network: Caip2) => address,
    decimals: (network: Caip2, asset: string) => findEvmAsset(network, asset, options.assets)?.decimals,
    createPayload: async (requirements) => ({
      ...(await signTransferAuthorization(sign, address, requirements, timing)),
    }),
  }
}
