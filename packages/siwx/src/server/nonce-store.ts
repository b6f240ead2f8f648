import type { SiwxStorage } from './key-value.js'

/** Nonces already used, shared by every instance on the same storage. */
export interface NonceStore {
  /** Marks `nonce` used for `ttlMs`; false if it was used before (atomic: of concurrent uses one wins). */
  use(nonce: string, ttlMs: number): Promise<boolean>
}

/** The nonce store on `storage.keyValue(namespace)`: one `putIfAbsent` per sign-in. */
export function createNonceStore(storage: SiwxStorage, namespace: string): NonceStore {
  const entries = storage.keyValue<1>(namespace)
  return {
    async use(nonce, ttlMs) {
      const { stored } = await entries.putIfAbsent(nonce, 1, { ttlMs: Math.max(1, Math.ceil(ttlMs)) })
      return stored
    },
  }
}
