import { createPublicClient, encodeFunctionData, http, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devnetChain } from '../devnet-chain.js'
import type { Devnet } from '../devnet-description.js'
import { startDevnet } from '../start-devnet.js'
import { multicall3Abi, multicall3DeployedBytecode } from './multicall3.js'
import { usdcLikeTokenAbi } from './usdc-like-token.js'

const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11'

let devnet: Devnet<'evm'>
beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterAll(() => devnet?.stop())

function client() {
  return createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
}

function balanceOfCall(who: `0x${string}`) {
  return encodeFunctionData({ abi: usdcLikeTokenAbi, functionName: 'balanceOf', args: [who] })
}

describe('Multicall3 at its canonical address', () => {
  test('holds this package runtime code', async () => {
    expect(devnet.evm.multicall3).toBe(MULTICALL3)
    expect(await client().getCode({ address: MULTICALL3 })).toBe(multicall3DeployedBytecode)
  })

  test('aggregate3 returns each result and tolerates an allowed failure', async () => {
    const { payer, merchant } = devnet.evm.accounts
    const { result } = await client().simulateContract({
      address: MULTICALL3,
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [
        [
          { target: devnet.evm.token.address, allowFailure: false, callData: balanceOfCall(payer.address) },
          {
            target: devnet.evm.token.address,
            allowFailure: false,
            callData: balanceOfCall(merchant.address),
          },
          { target: devnet.evm.token.address, allowFailure: true, callData: '0xdeadbeef' },
        ],
      ],
    })
    expect(result.map((entry) => entry.success)).toEqual([true, true, false])
    expect(BigInt(result[0]?.returnData ?? '0x')).toBe(1_000_000_000_000n)
    expect(BigInt(result[1]?.returnData ?? '0x')).toBe(0n)
  })

  test('aggregate3 reverts when a call that may not fail fails', async () => {
    await expect(
      client().simulateContract({
        address: MULTICALL3,
        abi: multicall3Abi,
        functionName: 'aggregate3',
        args: [[{ target: devnet.evm.token.address, allowFailure: false, callData: '0xdeadbeef' }]],
      }),
    ).rejects.toThrow('Multicall3: call failed')
  })

  test('tryAggregate and aggregate, as the official facilitator and older clients call them', async () => {
    const { payer } = devnet.evm.accounts
    const calls = [
      { target: devnet.evm.token.address, callData: balanceOfCall(payer.address) },
      { target: devnet.evm.token.address, callData: '0xdeadbeef' as const },
    ]
    const { result: tried } = await client().simulateContract({
      address: MULTICALL3,
      abi: multicall3Abi,
      functionName: 'tryAggregate',
      args: [false, calls],
    })
    expect(tried.map((entry) => entry.success)).toEqual([true, false])
    const { result: aggregated } = await client().simulateContract({
      address: MULTICALL3,
      abi: multicall3Abi,
      functionName: 'aggregate',
      args: [calls.slice(0, 1)],
    })
    expect(aggregated[0]).toBe(await client().getBlockNumber())
    expect(aggregated[1].map((data) => BigInt(data))).toEqual([1_000_000_000_000n])
  })

  test('block and balance getters read the chain', async () => {
    const read = { address: MULTICALL3, abi: multicall3Abi } as const
    const [blockNumber, timestamp, ethBalance, chainId] = await Promise.all([
      client().readContract({ ...read, functionName: 'getBlockNumber' }),
      client().readContract({ ...read, functionName: 'getCurrentBlockTimestamp' }),
      client().readContract({
        ...read,
        functionName: 'getEthBalance',
        args: [devnet.evm.accounts.merchant.address],
      }),
      client().readContract({ ...read, functionName: 'getChainId' }),
    ])
    const block = await client().getBlock()
    expect(blockNumber).toBe(block.number)
    expect(timestamp).toBe(block.timestamp)
    expect(ethBalance).toBe(parseEther('10000'))
    expect(chainId).toBe(31337n)
  })

  test("viem's multicall goes through it", async () => {
    const { payer, others } = devnet.evm.accounts
    const results = await client().multicall({
      allowFailure: false,
      contracts: [payer, ...others].map((account) => ({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'balanceOf',
        args: [account.address],
      })),
    })
    expect(results).toEqual(Array(1 + others.length).fill(1_000_000_000_000n))
  })
})
