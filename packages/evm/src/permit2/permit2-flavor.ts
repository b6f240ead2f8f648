import type { ErrorReason } from '@open402/core'
import type { Address } from 'viem'
import { X402_EXACT_PERMIT2_PROXY_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from '../shared/permit2.js'

/** What differs between the two schemes that pay through a Permit2 proxy: the proxy, the witness, codes. */
export interface Permit2Flavor {
  scheme: 'exact' | 'upto'
  /** The proxy the payer names as `spender`; it calls Permit2 with its witness. */
  proxy: Address
  reasons: {
    scheme: ErrorReason
    network: ErrorReason
    asset: ErrorReason
    /** A settlement transaction that reverted. */
    revert: ErrorReason
  }
}

/** `exact` with `assetTransferMethod: "permit2"`: the x402 exact Permit2 proxy, witness `{to, validAfter}`. */
export const EXACT_PERMIT2: Permit2Flavor = {
  scheme: 'exact',
  proxy: X402_EXACT_PERMIT2_PROXY_ADDRESS,
  reasons: {
    scheme: 'invalid_exact_evm_scheme',
    network: 'invalid_exact_evm_network_mismatch',
    asset: 'invalid_exact_evm_asset_mismatch',
    revert: 'invalid_exact_evm_transaction_failed',
  },
}

/** `upto`: the x402 upto Permit2 proxy, witness `{to, facilitator, validAfter}`. */
export const UPTO_PERMIT2: Permit2Flavor = {
  scheme: 'upto',
  proxy: X402_UPTO_PERMIT2_PROXY_ADDRESS,
  reasons: {
    scheme: 'invalid_upto_evm_scheme',
    network: 'invalid_upto_evm_network_mismatch',
    asset: 'invalid_upto_evm_asset_mismatch',
    revert: 'invalid_upto_evm_transaction_failed',
  },
}
