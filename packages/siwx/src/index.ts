export * from './client/siwx-client.js'
export {
  createEntitlementStore,
  type EntitlementKey,
  type EntitlementStore,
  type SiwxGrant,
} from './server/entitlements.js'
export * from './server/key-value.js'
export { createNonceStore, type NonceStore } from './server/nonce-store.js'
export * from './server/siwx.js'
export * from './server/siwx-challenge.js'
export type { SiwxVerifier } from './server/siwx-verifier.js'
export * from './server/verify-siwx.js'
export * from './shared/constants.js'
export * from './shared/siwx-header.js'
export * from './shared/siwx-message.js'
export { SIWX_PROOF_SCHEMA } from './shared/siwx-schema.js'
export type { SiwxSigner } from './shared/siwx-signer.js'
export type * from './shared/types.js'
