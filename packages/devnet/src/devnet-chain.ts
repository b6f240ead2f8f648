import { type Chain, defineChain } from 'viem'
import type { DevnetDescription } from './devnet-description.js'

/**
 * The viem `Chain` for a running devnet, with its RPC URL and Multicall3 address.
 *
 * @example
 * const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
 */
export function devnetChain(devnet: Pick<DevnetDescription, 'evm'>): Chain {
  return defineChain({
    id: devnet.evm.chainId,
    name: 'open402 devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [devnet.evm.rpcUrl] } },
    contracts: { multicall3: { address: devnet.evm.multicall3 } },
    testnet: true,
  })
}
