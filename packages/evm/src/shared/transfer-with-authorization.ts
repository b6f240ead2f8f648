import { evmChainId } from '@open402/core'
import type { Address, Hex, TypedDataDomain } from 'viem'

/** EIP-3009 `TransferWithAuthorization` struct as EIP-712 types (scheme_exact_evm.md). */
export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const

/** The authorization a payer signs, with numbers as bigints. */
export interface TransferAuthorization {
  from: Address
  to: Address
  value: bigint
  validAfter: bigint
  validBefore: bigint
  nonce: Hex
}

/** The token's EIP-712 domain: `name`/`version` from `extra`, chain id from CAIP-2, the token as verifier. */
export function eip3009Domain(
  network: string,
  asset: string,
  name: string,
  version: string,
): TypedDataDomain {
  return { name, version, chainId: evmChainId(network), verifyingContract: asset as Address }
}

/** The full typed-data request for signing or hashing one authorization. */
export function transferWithAuthorizationTypedData(domain: TypedDataDomain, message: TransferAuthorization) {
  return {
    domain,
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization' as const,
    message,
  }
}
