/**
 * The challenge a server offers in `extensions["sign-in-with-x"].info`: the CAIP-122 message fields the
 * client signs (specs/extensions/sign-in-with-x.md, "Server-Declared Fields").
 */
export interface SiwxInfo {
  /** The server's host (with port when not the default), e.g. `api.example.com`. */
  domain: string
  /** The resource URI being accessed. */
  uri: string
  /** CAIP-122 version: always `"1"`. */
  version: string
  /** Single-use nonce, 32 hex characters from open402 servers. */
  nonce: string
  /** ISO 8601 time the challenge was made. */
  issuedAt: string
  expirationTime?: string
  notBefore?: string
  statement?: string
  requestId?: string
  resources?: string[]
}

/** One way to sign in the server accepts: a CAIP-2 chain and its signature type. */
export interface SiwxSupportedChain {
  /** CAIP-2 id, e.g. `eip155:8453` or `solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1`. */
  chainId: string
  /** `eip191` on EVM chains (EIP-4361 text), `ed25519` on Solana (Sign-In-With-Solana text). */
  type: string
  /** Hint for the client's signing UX: `eip191`, `eip1271`, `eip6492` or `siws`. */
  signatureScheme?: string
}

/** The whole declaration in `PaymentRequired.extensions["sign-in-with-x"]`. */
export interface SiwxExtension {
  info: SiwxInfo
  supportedChains: SiwxSupportedChain[]
  schema?: Record<string, unknown>
}

/** The client's proof, sent base64-encoded in the `SIGN-IN-WITH-X` header: the echoed info, who, and the signature. */
export interface SiwxPayload extends SiwxInfo {
  /** The wallet: EIP-55 checksummed on EVM, base58 on Solana. */
  address: string
  chainId: string
  type: string
  signatureScheme?: string
  /** `0x` hex on EVM, base58 on Solana. */
  signature: string
}
