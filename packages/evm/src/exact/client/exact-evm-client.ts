import { type Caip2, type SchemeClient, X402Error } from '@open402/core'
import type { Address, LocalAccount, WalletClient } from 'viem'
import type { EvmAssets } from '../../networks/evm-asset.js'
import { findEvmAsset } from '../../networks/resolve-asset.js'
import {
  type AuthorizationOptions,
  signTransferAuthorization,
  type TypedDataSigner,
} from './sign-authorization.js'

/** Who pays: a viem `LocalAccount` (e.g. `privateKeyToAccount`), or a `WalletClient` that has an account. */
export type ExactEvmClientOptions = ({ account: LocalAccount } | { signer: WalletClient }) & {
  /** Assets beyond the built-in table (e.g. the devnet token), used for `decimals()`. */
  assets?: EvmAssets
  /** Seconds `validAfter` is set before now; default 600. */
  validAfterSkewSeconds?: number
}

/**
 * The client part of the `exact` scheme on `eip155:*`: signs an EIP-3009 authorization for the payment.
 * @example exactEvmClient({ account: privateKeyToAccount(key) })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_evm.md
 */
export function exactEvmClient(options: ExactEvmClientOptions): SchemeClient {
  const { address, sign } = resolveSigner(options)
  const timing: AuthorizationOptions = {}
  if (options.validAfterSkewSeconds !== undefined)
    timing.validAfterSkewSeconds = options.validAfterSkewSeconds
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

function resolveSigner(options: ExactEvmClientOptions): { address: Address; sign: TypedDataSigner } {
  if ('account' in options && options.account) {
    const account = options.account
    if (typeof account.signTypedData !== 'function') {
      throw new X402Error(
        'invalid_config',
        'exactEvmClient: account must be a viem LocalAccount that can sign typed data',
      )
    }
    return { address: account.address, sign: (typedData) => account.signTypedData(typedData) }
  }
  if ('signer' in options && options.signer) {
    const signer = options.signer
    const account = signer.account
    if (!account) {
      throw new X402Error(
        'invalid_config',
        'exactEvmClient: the WalletClient has no account; create it with { account }',
      )
    }
    return { address: account.address, sign: (typedData) => signer.signTypedData({ ...typedData, account }) }
  }
  throw new X402Error(
    'invalid_config',
    'exactEvmClient needs { account } (a viem LocalAccount) or { signer } (a WalletClient)',
  )
}
