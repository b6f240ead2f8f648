import {
  DEVNET_CHAIN_ID,
  EVM_STAND_INS,
  type EvmStandIn,
  INITIAL_ETH_BALANCE,
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  USDC_LIKE_TOKEN,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from './constants.js'
import { DEV_ACCOUNTS, GENESIS_ACCOUNTS } from './dev-accounts.js'
import type { EvmDevnetDescription } from './devnet-description.js'
import { spawnEvmNode } from './evm-node-process.js'
import type { NodeChildProcess } from './node-child-process.js'
import { setUpEvmChain } from './set-up-evm-chain.js'

/**
 * Starts the devnet's EVM chain (chain id 31337, Hardhat EDR, automine) in a child process and sets it up:
 * Multicall3, Permit2 and the x402 Permit2 proxies, the USD-coin-like token and funded accounts (with a
 * Permit2 allowance unless `permit2Approval` is false). As a stand-in for a public testnet it takes
 * that network's chain id, and the token that network's USDC address and EIP-712 domain.
 */
export async function startEvmChain(options: {
  host: string
  port: number
  standIn?: EvmStandIn
  permit2Approval?: boolean
}): Promise<{ description: EvmDevnetDescription; node: NodeChildProcess }> {
  const standIn = options.standIn === undefined ? undefined : EVM_STAND_INS[options.standIn]
  if (options.standIn !== undefined && standIn === undefined) {
    throw new Error(
      `startDevnet: standIn must be one of ${Object.keys(EVM_STAND_INS).join(', ')}, got ${String(options.standIn)}`,
    )
  }
  const chainId = standIn?.chainId ?? DEVNET_CHAIN_ID
  const tokenSetup = standIn === undefined ? USDC_LIKE_TOKEN : standIn.token
  const node = await spawnEvmNode({
    host: options.host,
    port: options.port,
    chainId,
    genesisAccounts: GENESIS_ACCOUNTS.map(({ privateKey }) => ({ privateKey, balance: INITIAL_ETH_BALANCE })),
  })
  const permit2Approval = options.permit2Approval ?? true
  const { token } = await setUpEvmChain(node.rpcUrl, tokenSetup, { permit2Approval }).catch(
    async (error: unknown) => {
      await node.stop()
      throw error
    },
  )
  const description: EvmDevnetDescription = {
    rpcUrl: node.rpcUrl,
    chainId,
    network: `eip155:${chainId}`,
    token: {
      address: token,
      name: tokenSetup.name,
      version: tokenSetup.version,
      symbol: USDC_LIKE_TOKEN.symbol,
      decimals: USDC_LIKE_TOKEN.decimals,
    },
    multicall3: MULTICALL3_ADDRESS,
    permit2: PERMIT2_ADDRESS,
    x402ExactPermit2Proxy: X402_EXACT_PERMIT2_PROXY_ADDRESS,
    x402UptoPermit2Proxy: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    permit2Approval,
    accounts: {
      payer: { ...DEV_ACCOUNTS.payer },
      merchant: { ...DEV_ACCOUNTS.merchant },
      facilitator: { ...DEV_ACCOUNTS.facilitator },
      others: DEV_ACCOUNTS.others.map((account) => ({ ...account })),
    },
    ...(options.standIn === undefined ? {} : { standIn: options.standIn }),
  }
  return { description, node }
}
