/**
 * A wallet that signs sign-in messages, for `siwxClient`: `evmSiwxSigner(account)` (`@open402/siwx/evm`)
 * or `solanaSiwxSigner(signer)` (`@open402/siwx/solana`), or any object of this shape.
 */
export interface SiwxSigner {
  /** The CAIP-2 namespace it signs for: `eip155` or `solana`. */
  readonly namespace: string
  /** The signature type it answers in `supportedChains`: `eip191` or `ed25519`. */
  readonly type: string
  /** The wallet's address (the payer the server remembers). */
  readonly address: string
  /** Sent as `signatureScheme`, a hint for the server (e.g. `eip1271` for a contract wallet). */
  readonly signatureScheme?: string
  /** Signs the message text: `0x` hex on EVM, base58 on Solana. */
  signMessage(message: string): Promise<string>
}
