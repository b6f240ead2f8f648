import { createHash, createPrivateKey, createPublicKey } from 'node:crypto'
import { getBase58Decoder } from '@solana/kit'
import type { DevnetSvmAccount } from './devnet-description.js'

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const OTHERS_COUNT = 16

/**
 * A fixed Ed25519 keypair for `label`: the seed is SHA-256 of "open402 devnet svm <label>", so addresses
 * are the same on every start. Public knowledge: never use these keys outside a local chain.
 */
function devKeypair(label: string): DevnetSvmAccount {
  const seed = createHash('sha256').update(`open402 devnet svm ${label}`).digest()
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const publicKey = spki.subarray(spki.length - 32)
  const base58 = getBase58Decoder()
  return {
    address: base58.decode(publicKey),
    secretKey: base58.decode(Buffer.concat([seed, publicKey])),
  }
}

/** The Solana roles every devnet hands out, plus the key that mints both tokens. */
export const SVM_DEV_ACCOUNTS = {
  payer: devKeypair('payer'),
  merchant: devKeypair('merchant'),
  facilitator: devKeypair('facilitator'),
  others: Array.from({ length: OTHERS_COUNT }, (_, index) => devKeypair(`others/${index}`)),
  mintAuthority: devKeypair('mint-authority'),
} as const

/** Where the Token-2022 mint lives (the address of a fixed keypair nobody needs to sign with). */
export const SVM_DEVNET_USDC_2022_MINT = devKeypair('mint/usdc-2022').address
