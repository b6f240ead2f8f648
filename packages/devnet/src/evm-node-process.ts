import { childScriptPath, type NodeChildProcess, spawnNodeChild } from './node-child-process.js'

const CHILD_SCRIPT = childScriptPath('evm-node-child.cjs')

export interface EvmNodeOptions {
  host: string
  port: number
  chainId: number
  genesisAccounts: readonly { privateKey: `0x${string}`; balance: bigint }[]
  /** How long to wait for the node to listen before giving up. */
  startTimeoutMs?: number
}

/** A running EVM JSON-RPC node in a child process. */
export type EvmNodeProcess = NodeChildProcess

/** Spawns the devnet's EVM node (Hardhat EDR) in a child process and resolves once it listens. */
export function spawnEvmNode(options: EvmNodeOptions): Promise<EvmNodeProcess> {
  const config = {
    host: options.host,
    port: options.port,
    chainId: options.chainId,
    genesisAccounts: options.genesisAccounts.map(({ privateKey, balance }) => ({
      privateKey,
      balance: balance.toString(),
    })),
  }
  return spawnNodeChild(CHILD_SCRIPT, config, 'devnet EVM node', options.startTimeoutMs)
}
