import type { SvmDevnetDescription } from './devnet-description.js'
import type { NodeChildProcess } from './node-child-process.js'
import {
  DEFAULT_SVM_SLOT_MS,
  SVM_DEVNET_GENESIS_HASH,
  SVM_DEVNET_MINTS,
  SVM_DEVNET_NETWORK,
  SVM_DEVNET_USDC_MINT,
} from './svm-constants.js'
import { SVM_DEV_ACCOUNTS, SVM_DEVNET_USDC_2022_MINT } from './svm-dev-accounts.js'
import { svmGenesisAccounts } from './svm-genesis.js'
import { spawnSvmNode } from './svm-node-process.js'

/**
 * Starts the devnet's Solana chain (litesvm behind a JSON-RPC server) in a child process, with its two
 * USDC-like mints and funded accounts written at start.
 */
export async function startSvmChain(options: {
  host: string
  port: number
  slotMs?: number
}): Promise<{ description: SvmDevnetDescription; node: NodeChildProcess }> {
  const node = await spawnSvmNode({
    host: options.host,
    port: options.port,
    slotMs: options.slotMs ?? DEFAULT_SVM_SLOT_MS,
    genesisHash: SVM_DEVNET_GENESIS_HASH,
    accounts: await svmGenesisAccounts(),
  })
  const { payer, merchant, facilitator, others, mintAuthority } = SVM_DEV_ACCOUNTS
  const { tokenProgram, ...usdc } = SVM_DEVNET_MINTS.usdc
  const { tokenProgram: tokenProgram2022, ...usdc2022 } = SVM_DEVNET_MINTS.usdc2022
  const description: SvmDevnetDescription = {
    rpcUrl: node.rpcUrl,
    network: SVM_DEVNET_NETWORK,
    genesisHash: SVM_DEVNET_GENESIS_HASH,
    mint: { address: SVM_DEVNET_USDC_MINT, tokenProgram, ...usdc },
    mint2022: { address: SVM_DEVNET_USDC_2022_MINT, tokenProgram: tokenProgram2022, ...usdc2022 },
    mintAuthority: { ...mintAuthority },
    accounts: {
      payer: { ...payer },
      merchant: { ...merchant },
      facilitator: { ...facilitator },
      others: others.map((account) => ({ ...account })),
    },
  }
  return { description, node }
}
