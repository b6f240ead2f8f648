import { type Address, type Hex, recoverAddress } from 'viem'

const MAX_REMEMBERED = 4096
const remembered = new Map<string, Address | null>()

/**
 * The address that signed `digest` with the 65-byte `signature` (ECDSA recovery, about a millisecond of
 * CPU), or `null` when nothing can be recovered. Answers are remembered for the last few thousand
 * (digest, signature) pairs: recovery is a pure function of them, and the same payment is checked again
 * by `settle` right after `verify` (and by repeated `verify` calls), so it is recovered once.
 */
export async function recoverSigner(digest: Hex, signature: Hex): Promise<Address | null> {
  const key = `${digest}${signature.slice(2).toLowerCase()}`
  const known = remembered.get(key)
  if (known !== undefined) return known
  let signer: Address | null
  try {
    signer = await recoverAddress({ hash: digest, signature })
  } catch {
    signer = null
  }
  // Oldest first: drop the first entry in insertion order when full.
  if (remembered.size >= MAX_REMEMBERED) {
    const oldest = remembered.keys().next()
    if (!oldest.done) remembered.delete(oldest.value)
  }
  remembered.set(key, signer)
  return signer
}
