import { encodeFunctionData } from 'viem'
import { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
import type { DevnetDescription } from './devnet-description.js'
import { sendAsDeployer } from './send-as-deployer.js'

/**
 * Mints devnet USDC (atomic units, 6 decimals) to any address; resolves once the mint is mined.
 *
 * @example
 * await mintTokens(devnet, account.address, 5_000_000n) // 5 USDC
 */
export async function mintTokens(
  devnet: Pick<DevnetDescription, 'evm'>,
  to: `0x${string}`,
  amount: bigint,
): Promise<void> {
  await sendAsDeployer(devnet, {
    to: devnet.evm.token.address,
    data: encodeFunctionData({ abi: usdcLikeTokenAbi, functionName: 'mint', args: [to, amount] }),
  })
}
