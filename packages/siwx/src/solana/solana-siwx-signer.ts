import { createSignableMessage, getBase58Decoder, type MessagePartialSigner } from '@solana/kit'
import type { SiwxSigner } from '../shared/siwx-signer.js'

/**
 * A sign-in signer for a Solana wallet: signs the Sign-In-With-Solana text with ed25519 through a Kit
 * message signer (`createKeyPairSignerFromBytes`, `generateKeyPairSigner`, a wallet's message signer).
 * @example siwxClient({ signers: [solanaSiwxSigner(await createKeyPairSignerFromBytes(secretKey))] })
 */
export function solanaSiwxSigner(signer: MessagePartialSigner): SiwxSigner {
  return {
    namespace: 'solana',
    type: 'ed25519',
    address: signer.address,
    signatureScheme: 'siws',
    async signMessage(message) {
      const [signatures] = await signer.signMessages([createSignableMessage(message)])
      const signature = signatures?.[signer.address]
      if (!signature) throw new Error(`the Solana signer ${signer.address} returned no signature`)
      return getBase58Decoder().decode(signature)
    },
  }
}
