import type { Address, Hex } from 'viem'
import type { SiwxSigner } from '../shared/siwx-signer.js'

/** What signs: a viem `LocalAccount` (`privateKeyToAccount`), or any account with `signMessage`. */
export interface EvmSiwxAccount {
  address: Address
  signMessage(args: { message: string }): Promise<Hex>
}

/**
 * A sign-in signer for an EVM wallet: signs the EIP-4361 text with EIP-191 (`personal_sign`). For a
 * contract wallet give an account whose `address` is the wallet and whose `signMessage` produces what its
 * `isValidSignature` accepts, with `signatureScheme: 'eip1271'` (or `'eip6492'` before deployment).
 * @example siwxClient({ signers: [evmSiwxSigner(privateKeyToAccount(key))] })
 */
export function evmSiwxSigner(
  account: EvmSiwxAccount,
  options: { signatureScheme?: 'eip191' | 'eip1271' | 'eip6492' } = {},
): SiwxSigner {
  return {
    namespace: 'eip155',
    type: 'eip191',
    address: account.address,
    signatureScheme: options.signatureScheme ?? 'eip191',
    signMessage: (message) => account.signMessage({ message }),
  }
}
