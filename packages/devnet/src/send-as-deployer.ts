import { createWalletClient, http, publicActions, type TransactionReceipt } from 'viem'
import { DEPLOYER_ACCOUNT } from './dev-accounts.js'
import { devnetChain } from './devnet-chain.js'
import type { DevnetDescription } from './devnet-description.js'

/**
 * Sends a transaction as the deployer (the token's only minter) and returns its receipt, throwing with the
 * revert reason if it would revert. The deployer is an account the node signs for (eth_sendTransaction): the node assigns its
 * nonces, so helpers called from several processes at once never collide.
 */
export async function sendAsDeployer(
  devnet: Pick<DevnetDescription, 'evm'>,
  transaction: { to?: `0x${string}`; data: `0x${string}` },
): Promise<TransactionReceipt> {
  const client = createWalletClient({
    account: DEPLOYER_ACCOUNT.address,
    chain: devnetChain(devnet),
    transport: http(devnet.evm.rpcUrl),
  }).extend(publicActions)
  // Simulate first: a revert then fails here with its reason instead of as a mined, reverted transaction.
  await client.call(transaction)
  const hash = await client.sendTransaction(transaction)
  // The devnet automines: the receipt exists as soon as eth_sendTransaction returns.
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  if (receipt.status !== 'success') throw new Error(`devnet transaction ${hash} reverted`)
  return receipt
}
