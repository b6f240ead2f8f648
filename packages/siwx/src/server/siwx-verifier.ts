import type { SiwxPayload } from '../shared/types.js'

/**
 * Checks signatures of one chain namespace for the server: `evmSiwxVerifier()` (`@open402/siwx/evm`:
 * EIP-191, EIP-1271 and EIP-6492 with a public client) or `solanaSiwxVerifier()` (`@open402/siwx/solana`:
 * ed25519).
 */
export interface SiwxVerifier {
  /** The CAIP-2 namespace it verifies: `eip155` or `solana`. */
  readonly namespace: string
  /** The signature type it offers in `supportedChains`. */
  readonly type: string
  /**
   * Whether `payload.signature` is `payload.address`'s signature of `message` on `payload.chainId`. False
   * for a malformed address or signature; throws only when it cannot tell (e.g. the RPC is down).
   */
  verify(payload: SiwxPayload, message: string): Promise<boolean>
  /** The address as entitlements are keyed: lower case on EVM, unchanged (base58) on Solana. */
  normalizeAddress(address: string): string
}
