import {
  getBase58Encoder,
  getPublicKeyFromAddress,
  isAddress,
  type SignatureBytes,
  verifySignature,
} from '@solana/kit'
import type { SiwxVerifier } from '../server/siwx-verifier.js'

const utf8 = new TextEncoder()

/**
 * Verifies Sign-In-With-Solana sign-ins on `solana:*` chains: the base58 ed25519 signature of the message
 * by the base58 address's key, with WebCrypto (through `@solana/kit`); no RPC.
 * @example siwx({ origin, grant, verifiers: [solanaSiwxVerifier()] })
 * @see https://github.com/phantom/sign-in-with-solana
 */
export function solanaSiwxVerifier(): SiwxVerifier {
  return {
    namespace: 'solana',
    type: 'ed25519',
    normalizeAddress: (address) => address,
    async verify(payload, message) {
      if (!isAddress(payload.address)) return false
      let signature: Uint8Array
      try {
        signature = new Uint8Array(getBase58Encoder().encode(payload.signature))
      } catch {
        return false
      }
      if (signature.length !== 64) return false
      try {
        const key = await getPublicKeyFromAddress(payload.address)
        return await verifySignature(key, signature as SignatureBytes, utf8.encode(message))
      } catch {
        // An address that is not an ed25519 public key (e.g. a program-derived address) signs nothing.
        return false
      }
    },
  }
}
