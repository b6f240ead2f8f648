import {
  type Client,
  createClient,
  createTestClient,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  http,
} from 'viem'
import { multicall3DeployedBytecode } from './artifacts/multicall3.js'
import { usdcLikeTokenAbi, usdcLikeTokenBytecode } from './artifacts/usdc-like-token.js'
import { INITIAL_TOKEN_BALANCE, MULTICALL3_ADDRESS } from './constants.js'
import { DEPLOYER_ACCOUNT, DEV_ACCOUNTS } from './dev-accounts.js'

/** Where the token lands: the deployer's first transaction on a fresh chain, so the same on every start. */
export const DEVNET_TOKEN_ADDRESS = getContractAddress({ from: DEPLOYER_ACCOUNT.address, nonce: 0n })

/**
 * Prepares a fresh devnet chain: Multicall3 at its canonical address, the token deployed by the deployer
 * (an account the node signs for), and 1,000,000 USDC minted to the payer and every `others` account.
 */
export async function setUpEvmChain(rpcUrl: string): Promise<{ token: `0x${string}` }> {
  // Concurrent requests go out as one JSON-RPC batch, which the node answers in order (one automined
  // block per transaction).
  const transport = http(rpcUrl, { batch: true, retryCount: 0 })
  const client = createClient({ transport })
  const testClient = createTestClient({ mode: 'hardhat', transport })
  const from = DEPLOYER_ACCOUNT.address

  const deployHash = await client.request({
    method: 'eth_sendTransaction',
    params: [{ from, data: encodeDeployData({ abi: usdcLikeTokenAbi, bytecode: usdcLikeTokenBytecode }) }],
  })
  const [deployReceipt] = await expectSuccess(client, [deployHash])
  if (deployReceipt?.contractAddress?.toLowerCase() !== DEVNET_TOKEN_ADDRESS.toLowerCase()) {
    throw new Error(`token deployed at ${deployReceipt?.contractAddress}, expected ${DEVNET_TOKEN_ADDRESS}`)
  }

  const holders = [DEV_ACCOUNTS.payer, ...DEV_ACCOUNTS.others]
  const [, ...mintHashes] = await Promise.all([
    testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3DeployedBytecode }),
    ...holders.map((holder) =>
      client.request({
        method: 'eth_sendTransaction',
        params: [
          {
            from,
            to: DEVNET_TOKEN_ADDRESS,
            data: encodeFunctionData({
              abi: usdcLikeTokenAbi,
              functionName: 'mint',
              args: [holder.address, INITIAL_TOKEN_BALANCE],
            }),
          },
        ],
      }),
    ),
  ])
  await expectSuccess(client, mintHashes as `0x${string}`[])
  return { token: DEVNET_TOKEN_ADDRESS }
}

async function expectSuccess(client: Client, hashes: `0x${string}`[]) {
  const receipts = await Promise.all(
    hashes.map((hash) => client.request({ method: 'eth_getTransactionReceipt', params: [hash] })),
  )
  receipts.forEach((receipt, index) => {
    if (receipt?.status !== '0x1') {
      throw new Error(`devnet setup transaction ${hashes[index]} failed (status ${receipt?.status})`)
    }
  })
  return receipts
}
