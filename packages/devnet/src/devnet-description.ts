import type { EvmStandIn } from './constants.js'

/** A funded dev account: its address and its (public, test-only) private key. */
export interface DevnetAccount {
  address: `0x${string}`
  privateKey: `0x${string}`
}

/**
 * What a running EVM devnet offers: where to reach it, its token, Multicall3, Permit2 and the x402 Permit2
 * proxies (each at its canonical address), and funded accounts.
 */
export interface EvmDevnetDescription {
  rpcUrl: string
  chainId: number
  network: `eip155:${number}`
  token: { address: `0x${string}`; name: string; version: string; symbol: string; decimals: number }
  multicall3: `0x${string}`
  /** Permit2 (signature transfers: permitWitnessTransferFrom, nonceBitmap) at its canonical address. */
  permit2: `0x${string}`
  /** The x402 exact Permit2 proxy: the `spender` of exact payments with `assetTransferMethod: 'permit2'`. */
  x402ExactPermit2Proxy: `0x${string}`
  /** The x402 upto Permit2 proxy: the `spender` of upto payments; only `witness.facilitator` settles. */
  x402UptoPermit2Proxy: `0x${string}`
  /**
   * Whether the payer and every `others` account started with an unlimited token allowance for Permit2
   * (`startDevnet({ permit2Approval })`, true by default). The merchant and facilitator never have one.
   */
  permit2Approval: boolean
  accounts: {
    payer: DevnetAccount
    merchant: DevnetAccount
    facilitator: DevnetAccount
    others: DevnetAccount[]
  }
  /** The public testnet this chain stands in for (its chain id and USDC address), when started as one. */
  standIn?: EvmStandIn
}

/**
 * A funded Solana dev account: its base58 address and its (public, test-only) secret key, the base58 of
 * the 64 bytes seed || public key, which Kit takes as
 * `createKeyPairSignerFromBytes(getBase58Encoder().encode(secretKey))`.
 */
export interface DevnetSvmAccount {
  address: string
  secretKey: string
}

/** An SPL mint on the devnet's Solana chain. */
export interface DevnetSvmMint {
  address: string
  decimals: number
  /** The program that owns the mint: SPL Token or Token-2022. */
  tokenProgram: string
  symbol: string
  name: string
}

/** What a running Solana devnet offers: where to reach it, its identity, its mints and funded accounts. */
export interface SvmDevnetDescription {
  /** The Solana JSON-RPC endpoint (HTTP only: no WebSocket subscriptions). */
  rpcUrl: string
  network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'
  genesisHash: string
  /** USDC-like, SPL Token, 6 decimals, at the public devnet USDC address. */
  mint: DevnetSvmMint
  /** USDC-like under Token-2022, 6 decimals. */
  mint2022: DevnetSvmMint
  /** The mint authority of both mints (devnet-only key). */
  mintAuthority: DevnetSvmAccount
  accounts: {
    payer: DevnetSvmAccount
    merchant: DevnetSvmAccount
    facilitator: DevnetSvmAccount
    others: DevnetSvmAccount[]
  }
}

/** Plain JSON data describing a running devnet, as printed by the `open402-devnet` CLI. */
export interface DevnetDescription {
  evm: EvmDevnetDescription
  svm: SvmDevnetDescription
}

/** The chains a devnet can run: `evm` (Hardhat EDR) and `svm` (litesvm). */
export type DevnetChainKind = keyof DevnetDescription

/** A running devnet: the description of the chains it runs plus a way to stop them. */
export type Devnet<C extends DevnetChainKind = DevnetChainKind> = Pick<DevnetDescription, C> & {
  /** The description as plain JSON-serialisable data (no functions, no bigints). */
  describe(): Pick<DevnetDescription, C>
  /** Stops the chain processes and resolves once they have exited. Safe to call more than once. */
  stop(): Promise<void>
}
