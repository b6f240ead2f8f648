import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto'

// TODO(real chain): accounts are the chain's own (a secp256k1 key, an ed25519 keypair, a wallet); replace
// this file with the chain's SDK. The template uses ed25519 from node:crypto: real signatures, no deps.

/** An account on the ledger: its address (the base64url ed25519 public key) and its private key. */
export interface LedgerAccount {
  address: string
  privateKey: KeyObject
}

/** Creates a fresh account with a random ed25519 key. */
export function createLedgerAccount(): LedgerAccount {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const { x } = publicKey.export({ format: 'jwk' })
  if (typeof x !== 'string') throw new Error('node:crypto exported an ed25519 public key without x')
  return { address: x, privateKey }
}

/** Signs `message` with the account's key; the signature is base64url. */
export function signMessage(account: LedgerAccount, message: Uint8Array): string {
  return sign(null, message, account.privateKey).toString('base64url')
}

/** Whether `signature` (base64url) is `address`'s signature of `message`; false for a malformed address. */
export function isValidSignature(address: string, message: Uint8Array, signature: string): boolean {
  try {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: address }, format: 'jwk' })
    return verify(null, message, publicKey, Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}
