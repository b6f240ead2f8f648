import type { DevnetDescription, DevnetSvmAccount } from '@open402/devnet'
import { createKeyPairSignerFromBytes, getBase58Encoder, type KeyPairSigner } from '@solana/kit'

/** The part of a devnet description the Solana interop stacks need (a devnet started with `chains: ['svm']`). */
export type SvmDevnet = Pick<DevnetDescription, 'svm'>

/** A Kit `KeyPairSigner` for a devnet Solana account (its secret key is the base58 of the 64-byte keypair). */
export function svmSigner(account: DevnetSvmAccount): Promise<KeyPairSigner> {
  return createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))
}
