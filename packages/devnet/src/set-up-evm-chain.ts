import {
  type Client,
  createClient,
  createTestClient,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  http,
} from 'viem'
import { getCode } from 'viem/actions'
import { multicall3DeployedBytecode } from './artifacts/multicall3.js'
import { usdcLikeTokenAbi, usdcLikeTokenBytecode } from './artifacts/usdc-like-token.js'
import { INITIAL_TOKEN_BALANCE, MULTICALL3_ADDRESS, USDC_LIKE_TOKEN } from './constants.js'
import { DEPLOYER_ACCOUNT, DEV_ACCOUNTS } from './dev-accounts.js'

/** Where the token lands: the deployer's first transaction on a fresh chain, so the same on every start. */
export const DEVNET_TOKEN_ADDRESS = getContractAddress({ from: DEPLOYER_ACCOUNT.address, nonce: 0n })

/** The token to set up: its EIP-712 domain, and where it lives when not at {@link DEVNET_TOKEN_ADDRESS}. */
export interface DevnetTokenSetup {
  name: string
  version: string
  address?: `0x${string}`
}

/**
 * Prepares a fresh devnet chain: Multicall3 at its canonical address, the token deployed by the deployer
 * (an account the node signs for), and 1,000,000 USDC minted to the payer and every `others` account.
 * A token wanted at another address (a stand-in's USDC address) is deployed as usual, then its code, which
 * holds all its configuration, is moved there before anything is minted.
 */
export async function setUpEvmChain(
  rpcUrl: string,
  setup: DevnetTokenSetup = USDC_LIKE_TOKEN,
): Promise<{ token: `0x${string}` }> {
  // Concurrent requests go out as one JSON-RPC batch, which the node answers in order (one automined
  // block per transaction).
  const transport = http(rpcUrl, { batch: true, retryCount: 0 })
  const client = createClient({ transport })
  const testClient = createTestClient({ mode: 'hardhat', transport })
  const from = DEPLOYER_ACCOUNT.address

  const deployHash = await client.request({
    method: 'eth_sendTransaction',
    params: [
      {
        from,
        data: encodeDeployData({
          abi: usdcLikeTokenAbi,
          bytecode: usdcLikeTokenBytecode,
          args: [setup.name, setup.version],
        }),
      },
    ],
  })
  const [deployReceipt] = await expectSuccess(client, [deployHash])
  if (deployReceipt?.contractAddress?.toLowerCase() !== DEVNET_TOKEN_ADDRESS.toLowerCase()) {
    throw new Error(`token deployed at ${deployReceipt?.contractAddress}, expected ${DEVNET_TOKEN_ADDRESS}`)
  }
  const token = setup.address ?? DEVNET_TOKEN_ADDRESS
  if (token.toLowerCase() !== DEVNET_TOKEN_ADDRESS.toLowerCase()) {
    // Immutables (minter, name, version) live in the runtime code and nothing is in storage yet, so the
    // code alone makes the same token at the new address; DOMAIN_SEPARATOR reads address(this) at run time.
    const code = await getCode(client, { address: DEVNET_TOKEN_ADDRESS })
    if (code === undefined) throw new Error(`no token code at ${DEVNET_TOKEN_ADDRESS} to move to ${token}`)
    await testClient.setCode({ address: token, bytecode: code })
    await testClient.setCode({ address: DEVNET_TOKEN_ADDRESS, bytecode: '0x' })
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
            to: token,
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
  return { token }
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
