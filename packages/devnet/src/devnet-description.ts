/** A funded dev account: its address and its (public, test-only) private key. */
export interface DevnetAccount {
  address: `0x${string}`
  privateKey: `0x${string}`
}

/** What a running EVM devnet offers: where to reach it, its token, Multicall3 and funded accounts. */
export interface EvmDevnetDescription {
  rpcUrl: string
  chainId: number
  network: `eip155:${number}`
  token: { address: `0x${string}`; name: string; version: string; symbol: string; decimals: number }
  multicall3: `0x${string}`
  accounts: {
    payer: DevnetAccount
    merchant: DevnetAccount
    facilitator: DevnetAccount
    others: DevnetAccount[]
  }
}

/** Plain JSON data describing a running devnet, as printed by the `open402-devnet` CLI. */
export interface DevnetDescription {
  evm: EvmDevnetDescription
}

/** A running devnet: its description plus a way to stop it. */
export interface Devnet extends DevnetDescription {
  /** The description as plain JSON-serialisable data (no functions, no bigints). */
  describe(): DevnetDescription
  /** Stops the chain process and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>
}
