import { DEVNET_CHAIN_ID, INITIAL_ETH_BALANCE, MULTICALL3_ADDRESS, USDC_LIKE_TOKEN } from './constants.js'
import { DEV_ACCOUNTS, GENESIS_ACCOUNTS } from './dev-accounts.js'
import type { Devnet, DevnetDescription } from './devnet-description.js'
import { spawnEvmNode } from './evm-node-process.js'
import { setUpEvmChain } from './set-up-evm-chain.js'

export interface StartDevnetOptions {
  /** TCP port for the EVM JSON-RPC node; 0 (the default) picks a free one. */
  port?: number
  /** Interface to bind; defaults to loopback (127.0.0.1). */
  host?: string
}

/**
 * Starts a local EVM chain (chain id 31337, Hardhat EDR, automine) in a child process, with a USD-coin-like
 * EIP-3009 token, Multicall3 at its canonical address and funded accounts.
 *
 * @example
 * const devnet = await startDevnet()
 * console.log(devnet.describe().evm.rpcUrl)
 * await devnet.stop()
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const node = await spawnEvmNode({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    chainId: DEVNET_CHAIN_ID,
    genesisAccounts: GENESIS_ACCOUNTS.map(({ privateKey }) => ({ privateKey, balance: INITIAL_ETH_BALANCE })),
  })
  const { token } = await setUpEvmChain(node.rpcUrl).catch(async (error: unknown) => {
    await node.stop()
    throw error
  })
  const description: DevnetDescription = {
    evm: {
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
    },
  }
  return {
    ...structuredClone(description),
    describe: () => structuredClone(description),
    stop: () => node.stop(),
  }
}
