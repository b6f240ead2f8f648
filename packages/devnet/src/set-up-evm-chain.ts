import {
  type Client,
  createClient,
  createTestClient,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  http,
  keccak256,
  maxUint256,
  numberToHex,
  pad,
} from 'viem'
import { getCode, readContract } from 'viem/actions'
import { multicall3DeployedBytecode } from './artifacts/multicall3.js'
import { permit2DeployedBytecode } from './artifacts/permit2.js'
import { usdcLikeTokenAbi, usdcLikeTokenBytecode } from './artifacts/usdc-like-token.js'
import { x402ExactPermit2ProxyDeployedBytecode } from './artifacts/x402-exact-permit2-proxy.js'
import { x402UptoPermit2ProxyDeployedBytecode } from './artifacts/x402-upto-permit2-proxy.js'
import {
  INITIAL_TOKEN_BALANCE,
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  USDC_LIKE_TOKEN,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from './constants.js'
import { DEPLOYER_ACCOUNT, DEV_ACCOUNTS } from './dev-accounts.js'

/** Where the token lands: the deployer's first transaction on a fresh chain, so the same on every start. */
export const DEVNET_TOKEN_ADDRESS = getContractAddress({ from: DEPLOYER_ACCOUNT.address, nonce: 0n })

/** The token to set up: its EIP-712 domain, and where it lives when not at {@link DEVNET_TOKEN_ADDRESS}. */
export interface DevnetTokenSetup {
  name: string
  version: string
  address?: `0x${string}`
}

// The token's storage slot of `allowance` (contracts/UsdcLikeToken.sol: totalSupply, balanceOf, allowance).
const ALLOWANCE_SLOT = 2n

/**
 * Prepares a fresh devnet chain: Multicall3, Permit2 and the x402 exact and upto Permit2 proxies at their
 * canonical addresses, the token deployed by the deployer (an account the node signs for), and 1,000,000
 * USDC minted to the payer and every `others` account. A token wanted at another address (a stand-in's
 * USDC address) is deployed as usual, then its code, which holds all its configuration, is moved there
 * before anything is minted. With `permit2Approval` (the default) the payer and every `others` account
 * start with an unlimited token allowance for Permit2, written straight into the token's storage so that
 * no account spends a nonce or gas on it.
 */
export async function setUpEvmChain(
  rpcUrl: string,
  setup: DevnetTokenSetup = USDC_LIKE_TOKEN,
  options: { permit2Approval?: boolean } = {},
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
  const approvals = options.permit2Approval === false ? [] : holders
  const placed = [
    { address: MULTICALL3_ADDRESS, bytecode: multicall3DeployedBytecode },
    { address: PERMIT2_ADDRESS, bytecode: permit2DeployedBytecode },
    { address: X402_EXACT_PERMIT2_PROXY_ADDRESS, bytecode: x402ExactPermit2ProxyDeployedBytecode },
    { address: X402_UPTO_PERMIT2_PROXY_ADDRESS, bytecode: x402UptoPermit2ProxyDeployedBytecode },
  ] as const
  const [mintHashes] = await Promise.all([
    Promise.all(
      holders.map((holder) =>
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
    ),
    ...placed.map((contract) => testClient.setCode(contract)),
    ...approvals.map((holder) =>
      testClient.setStorageAt({
        address: token,
        index: allowanceSlot(holder.address, PERMIT2_ADDRESS),
        value: numberToHex(maxUint256, { size: 32 }),
      }),
    ),
  ])
  await expectSuccess(client, mintHashes)
  // The allowance was written by slot: read one back, so a change to the token's storage layout fails here.
  const [approved] = approvals
  if (approved !== undefined) {
    const allowance = await readContract(client, {
      address: token,
      abi: usdcLikeTokenAbi,
      functionName: 'allowance',
      args: [approved.address, PERMIT2_ADDRESS],
    })
    if (allowance !== maxUint256)
      throw new Error(`devnet setup: the Permit2 allowance of ${approved.address} is not set`)
  }
  return { token }
}

/** The slot of `allowance[owner][spender]` in the token: keccak(spender . keccak(owner . ALLOWANCE_SLOT)). */
function allowanceSlot(owner: `0x${string}`, spender: `0x${string}`): `0x${string}` {
  const inner = keccak256(`0x${pad(owner).slice(2)}${numberToHex(ALLOWANCE_SLOT, { size: 32 }).slice(2)}`)
  return keccak256(`0x${pad(spender).slice(2)}${inner.slice(2)}`)
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
