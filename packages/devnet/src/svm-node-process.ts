import { childScriptPath, type NodeChildProcess, spawnNodeChild } from './node-child-process.js'
import type { SvmGenesisAccount } from './svm-genesis.js'

const CHILD_SCRIPT = childScriptPath('svm-node-child.cjs')

export interface SvmNodeOptions {
  host: string
  port: number
  /** How long a slot lasts, in milliseconds. */
  slotMs: number
  genesisHash: string
  accounts: readonly SvmGenesisAccount[]
  /** How long to wait for the node to listen before giving up. */
  startTimeoutMs?: number
}

/** Spawns the devnet's Solana JSON-RPC node (litesvm) in a child process and resolves once it listens. */
export function spawnSvmNode(options: SvmNodeOptions): Promise<NodeChildProcess> {
  const { startTimeoutMs, ...config } = options
  return spawnNodeChild(CHILD_SCRIPT, { ...config }, 'devnet Solana node', startTimeoutMs)
}
