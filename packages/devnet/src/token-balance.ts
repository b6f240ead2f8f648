import { createPublicClient, http } from 'viem'
import { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
import { devnetChain } from './devnet-chain.js'
import type { DevnetDescription } from './devnet-description.js'

/**
 * The devnet USDC balance of an address, in atomic units (6 decimals).
 *
 * @example
 * const before = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
 */
export async function tokenBalance(
  devnet: Pick<DevnetDescription, 'evm'>,
  who: `0x${string}`,
): Promise<bigint> {
  const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
  return client.readContract({
    address: devnet.evm.token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'balanceOf',
    args: [who],
  })
}
