import { DEVNET_CHAIN_ID, INITIAL_ETH_BALANCE, MULTICALL3_ADDRESS, USDC_LIKE_TOKEN } from './constants.js'
import { DEV_ACCOUNTS, GENESIS_ACCOUNTS } from './dev-accounts.js'
import type { EvmDevnetDescription } from './devnet-description.js'
import { spawnEvmNode } from './evm-node-process.js'
import type { NodeChildProcess } from './node-child-process.js'
import { setUpEvmChain } from './set-up-evm-chain.js'

/**
 * Starts the devnet's EVM chain (chain id 31337, Hardhat EDR, automine) in a child process and sets it up:
 * Multicall3, the USD-coin-like token and funded accounts.
 */
export async function startEvmChain(options: {
  host: string
  port: number
}): Promise<{ description: EvmDevnetDescription; node: NodeChildProcess }> {
  const node = await spawnEvmNode({
    host: options.host,
    port: options.port,
    chainId: DEVNET_CHAIN_ID,
    genesisAccounts: GENESIS_ACCOUNTS.map(({ privateKey }) => ({ privateKey, balance: INITIAL_ETH_BALANCE })),
  })
  const { token } = await setUpEvmChain(node.rpcUrl).catch(async (error: unknown) => {
    await node.stop()
    throw error
  })
  const description: EvmDevnetDescription = {
    rpcUrl: node.rpcUrl,
    chainId: DEVNET_CHAIN_ID,
    network: `eip155:${DEVNET_CHAIN_ID}`,
    token: { address: token, ...USDC_LIKE_TOKEN },
    multicall3: MULTICALL3_ADDRESS,
    accounts: {
      payer: { ...DEV_ACCOUNTS.payer },
      merchant: { ...DEV_ACCOUNTS.merchant },
      facilitator: { ...DEV_ACCOUNTS.facilitator },
      others: DEV_ACCOUNTS.others.map((account) => ({ ...account })),
    },
  }
  return { description, node }
}
