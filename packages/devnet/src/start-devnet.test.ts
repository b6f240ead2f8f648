import { networkInterfaces } from 'node:os'
import { type Address, createKeyPairSignerFromBytes, createSolanaRpc, getBase58Encoder } from '@solana/kit'
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  hashDomain,
  http,
  isAddress,
  parseEther,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { canConnect, evmNodeProcessesOf, isProcessAlive, svmNodeProcessesOf } from '../test/processes.js'
import { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
import { devnetChain } from './devnet-chain.js'
import type { Devnet } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'
import { svmAssociatedTokenAddress } from './svm-genesis.js'
import { svmTokenBalance } from './svm-token-balance.js'
import { tokenBalance } from './token-balance.js'

describe('startDevnet', () => {
  let devnet: Devnet
  let startMs: number

  beforeAll(async () => {
    const started = performance.now()
    devnet = await startDevnet()
    startMs = performance.now() - started
  })
  afterAll(() => devnet?.stop())

  const client = () => createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })

  test('starts in under 3 seconds', () => {
    expect(startMs).toBeLessThan(3000)
  })

  test('describes a loopback chain 31337 with the token, Multicall3, Permit2, the x402 proxies and funded roles', () => {
    const { evm } = devnet.describe()
    expect(evm.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(evm.chainId).toBe(31337)
    expect(evm.network).toBe('eip155:31337')
    expect(evm.token).toEqual({
      address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      name: 'USD Coin',
      version: '2',
      symbol: 'USDC',
      decimals: 6,
    })
    expect(evm.multicall3).toBe('0xcA11bde05977b3631167028862bE2a173976CA11')
    expect(evm.permit2).toBe('0x000000000022D473030F116dDEE9F6B43aC78BA3')
    expect(evm.x402ExactPermit2Proxy).toBe('0x402085c248EeA27D92E8b30b2C58ed07f9E20001')
    expect(evm.x402UptoPermit2Proxy).toBe('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002')
    expect(evm.permit2Approval).toBe(true)
    expect(evm.accounts.others.length).toBeGreaterThanOrEqual(8)
    const accounts = [
      evm.accounts.payer,
      evm.accounts.merchant,
      evm.accounts.facilitator,
      ...evm.accounts.others,
    ]
    for (const account of accounts) {
      expect(isAddress(account.address, { strict: true })).toBe(true)
      expect(privateKeyToAccount(account.privateKey).address).toBe(account.address)
    }
    expect(new Set(accounts.map((account) => account.address)).size).toBe(accounts.length)
  })

  test('describe() returns plain JSON data equal to the devnet fields', () => {
    const description = devnet.describe()
    expect(JSON.parse(JSON.stringify(description))).toEqual(description)
    expect(description).toEqual({ evm: devnet.evm, svm: devnet.svm })
    description.evm.accounts.others.pop()
    expect(devnet.describe().evm.accounts.others.length).toBe(devnet.evm.accounts.others.length)
  })

  test('the node answers chain id 31337 and its clock follows the wall clock', async () => {
    expect(await client().getChainId()).toBe(31337)
    const block = await client().getBlock()
    const now = BigInt(Math.floor(Date.now() / 1000))
    expect(block.timestamp).toBeGreaterThanOrEqual(now - 5n)
    expect(block.timestamp).toBeLessThanOrEqual(now + 2n)
  })

  test('reads the token metadata and EIP-712 domain on chain', async () => {
    const token = { address: devnet.evm.token.address, abi: usdcLikeTokenAbi } as const
    const [name, symbol, version, decimals, separator, domain] = await Promise.all([
      client().readContract({ ...token, functionName: 'name' }),
      client().readContract({ ...token, functionName: 'symbol' }),
      client().readContract({ ...token, functionName: 'version' }),
      client().readContract({ ...token, functionName: 'decimals' }),
      client().readContract({ ...token, functionName: 'DOMAIN_SEPARATOR' }),
      client().readContract({ ...token, functionName: 'eip712Domain' }),
    ])
    expect({ name, symbol, version, decimals }).toEqual({
      name: 'USD Coin',
      symbol: 'USDC',
      version: '2',
      decimals: 6,
    })
    const expectedDomain = {
      name: 'USD Coin',
      version: '2',
      chainId: 31337n,
      verifyingContract: devnet.evm.token.address,
    }
    expect(separator).toBe(
      hashDomain({
        domain: expectedDomain,
        types: {
          EIP712Domain: [
            { name: 'name', type: 'string' },
            { name: 'version', type: 'string' },
            { name: 'chainId', type: 'uint256' },
            { name: 'verifyingContract', type: 'address' },
          ],
        },
      }),
    )
    expect(domain).toEqual([
      '0x0f',
      'USD Coin',
      '2',
      31337n,
      devnet.evm.token.address,
      `0x${'0'.repeat(64)}`,
      [],
    ])
  })

  test('funds every account with 10,000 ETH, the payer and others with 1,000,000 USDC', async () => {
    const { payer, merchant, facilitator, others } = devnet.evm.accounts
    for (const account of [payer, merchant, facilitator, ...others]) {
      expect(await client().getBalance({ address: account.address })).toBe(parseEther('10000'))
    }
    for (const account of [payer, ...others]) {
      expect(await tokenBalance(devnet, account.address)).toBe(1_000_000_000_000n)
    }
    expect(await tokenBalance(devnet, merchant.address)).toBe(0n)
    expect(await tokenBalance(devnet, facilitator.address)).toBe(0n)
  })

  test('both nodes listen on 127.0.0.1 only', async () => {
    for (const rpcUrl of [devnet.evm.rpcUrl, devnet.svm.rpcUrl]) {
      const port = Number(new URL(rpcUrl).port)
      expect(await canConnect('127.0.0.1', port)).toBe(true)
      // 127.0.0.2 is loopback too on Linux: a node bound to 0.0.0.0 would accept there.
      const otherAddresses = Object.values(networkInterfaces())
        .flat()
        .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
        .map((info) => info?.address ?? '')
      if (process.platform === 'linux') otherAddresses.push('127.0.0.2')
      const reachable = await Promise.all(otherAddresses.map((address) => canConnect(address, port)))
      expect(reachable.filter(Boolean)).toEqual([])
    }
  })

  test('describes a Solana chain presenting as Solana devnet, with both mints and funded roles', async () => {
    const { svm } = devnet.describe()
    expect(svm.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(svm.rpcUrl).not.toBe(devnet.evm.rpcUrl)
    expect(svm.network).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1')
    expect(svm.genesisHash).toBe('EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG')
    expect(svm.mint).toEqual({
      address: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
      decimals: 6,
      tokenProgram: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      symbol: 'USDC',
      name: 'USD Coin',
    })
    expect(svm.mint2022).toMatchObject({
      decimals: 6,
      tokenProgram: 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb',
      symbol: 'USDC-2022',
    })
    expect(svm.accounts.others.length).toBeGreaterThanOrEqual(8)
    const accounts = [
      svm.mintAuthority,
      svm.accounts.payer,
      svm.accounts.merchant,
      svm.accounts.facilitator,
      ...svm.accounts.others,
    ]
    for (const account of accounts) {
      const signer = await createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))
      expect(signer.address).toBe(account.address)
    }
    expect(new Set(accounts.map((account) => account.address)).size).toBe(accounts.length)
    // Fixed seeds: the same addresses on every start.
    expect(svm.accounts.payer.address).toBe('6YfoEADpoThyxDFLqTRxtmHPcAMP4wNKoUfX7vZPwsik')
  })

  test('funds every Solana role with 1,000 SOL; payer and others hold 1,000,000 of each mint; the merchant has empty token accounts', async () => {
    const { svm } = devnet
    const rpc = createSolanaRpc(svm.rpcUrl)
    const { payer, merchant, facilitator, others } = svm.accounts
    for (const account of [payer, merchant, facilitator, svm.mintAuthority, ...others]) {
      expect((await rpc.getBalance(account.address as Address).send()).value).toBe(1_000_000_000_000n)
    }
    for (const mint of [svm.mint, svm.mint2022]) {
      for (const account of [payer, ...others]) {
        expect(await svmTokenBalance(devnet, account.address, mint)).toBe(1_000_000_000_000n)
      }
      const merchantAta = await svmAssociatedTokenAddress(merchant.address, mint.address, mint.tokenProgram)
      const { value } = await rpc.getTokenAccountBalance(merchantAta as Address).send()
      expect(value.amount).toBe('0')
      const facilitatorAta = await svmAssociatedTokenAddress(
        facilitator.address,
        mint.address,
        mint.tokenProgram,
      )
      expect(
        (await rpc.getAccountInfo(facilitatorAta as Address, { encoding: 'base64' }).send()).value,
      ).toBeNull()
    }
  })
})

describe('JSON-RPC behaviour', () => {
  let devnet: Devnet<'evm'>
  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['evm'] })
  })
  afterAll(() => devnet?.stop())

  async function rpc(method: string, params: unknown[]) {
    const response = await fetch(devnet.evm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    return (await response.json()) as {
      result?: unknown
      error?: { code: number; message: string; data?: unknown }
    }
  }

  test('answers a revert like geth: code 3, "execution reverted: <reason>" and the revert data', async () => {
    const { payer } = devnet.evm.accounts
    const data = encodeFunctionData({
      abi: usdcLikeTokenAbi,
      functionName: 'mint',
      args: [payer.address, 1n],
    })
    for (const method of ['eth_call', 'eth_estimateGas']) {
      const { error } = await rpc(method, [
        { from: payer.address, to: devnet.evm.token.address, data },
        'latest',
      ])
      expect(error?.code).toBe(3)
      expect(error?.message).toBe('execution reverted: FiatToken: caller is not a minter')
      expect(error?.data).toMatchObject({ data: expect.stringMatching(/^0x08c379a0/) })
    }
  })

  test('mines a reverting transaction with status reverted, as a real chain does', async () => {
    const payer = privateKeyToAccount(devnet.evm.accounts.payer.privateKey)
    const wallet = createWalletClient({
      account: payer,
      chain: devnetChain(devnet),
      transport: http(devnet.evm.rpcUrl),
    })
    const hash = await wallet.writeContract({
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'mint',
      args: [payer.address, 1n],
      gas: 100_000n, // skips estimation, which would refuse to send
    })
    const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })
    expect(receipt.status).toBe('reverted')
  })

  test('many blocks in a second do not push chain time ahead of the wall clock', async () => {
    const payer = privateKeyToAccount(devnet.evm.accounts.payer.privateKey)
    const wallet = createWalletClient({
      account: payer,
      chain: devnetChain(devnet),
      transport: http(devnet.evm.rpcUrl),
    })
    const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
    const firstBlock = await client.getBlockNumber()
    for (let i = 0; i < 10; i++) {
      await wallet.sendTransaction({ to: devnet.evm.accounts.merchant.address, value: 1n })
    }
    const block = await client.getBlock()
    expect(block.number).toBeGreaterThanOrEqual(firstBlock + 10n)
    expect(block.timestamp).toBeLessThanOrEqual(BigInt(Math.floor(Date.now() / 1000)) + 1n)
  })
})

describe('stop', () => {
  test('kills both node processes, closes both ports and can be called twice', async () => {
    const nodesOf = () => [...evmNodeProcessesOf(process.pid), ...svmNodeProcessesOf(process.pid)]
    const before = new Set(nodesOf().map((child) => child.pid))
    const devnet = await startDevnet()
    const started = nodesOf().filter((child) => !before.has(child.pid))
    expect(started).toHaveLength(2)
    const nodePids = started.map((child) => child.pid)
    const ports = [devnet.evm.rpcUrl, devnet.svm.rpcUrl].map((url) => Number(new URL(url).port))
    expect(nodePids.map(isProcessAlive)).toEqual([true, true])

    await devnet.stop()
    expect(nodePids.map(isProcessAlive)).toEqual([false, false])
    expect(nodesOf().map((child) => child.pid)).not.toContain(nodePids[0])
    expect(nodesOf().map((child) => child.pid)).not.toContain(nodePids[1])
    for (const port of ports) expect(await canConnect('127.0.0.1', port)).toBe(false)
    await expect(devnet.stop()).resolves.toBeUndefined()
  })

  test('permit2Approval: false starts the payer and others without an allowance for Permit2', async () => {
    const devnet = await startDevnet({ chains: ['evm'], permit2Approval: false })
    try {
      expect(devnet.describe().evm.permit2Approval).toBe(false)
      const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
      const { payer, others } = devnet.evm.accounts
      for (const account of [payer, ...others]) {
        const allowance = await client.readContract({
          address: devnet.evm.token.address,
          abi: usdcLikeTokenAbi,
          functionName: 'allowance',
          args: [account.address, devnet.evm.permit2],
        })
        expect(allowance).toBe(0n)
      }
      // Everything else is as usual: funded accounts, Permit2 and the proxies in place.
      expect(await tokenBalance(devnet, payer.address)).toBe(1_000_000_000_000n)
      for (const address of [
        devnet.evm.permit2,
        devnet.evm.x402ExactPermit2Proxy,
        devnet.evm.x402UptoPermit2Proxy,
      ]) {
        expect(((await client.getCode({ address })) ?? '0x').length).toBeGreaterThan(2)
      }
    } finally {
      await devnet.stop()
    }
  })

  test('chains selects which chains run', async () => {
    const evmOnly = await startDevnet({ chains: ['evm'] })
    try {
      expect(Object.keys(evmOnly.describe())).toEqual(['evm'])
      expect(svmNodeProcessesOf(process.pid)).toHaveLength(0)
      expect(await tokenBalance(evmOnly, evmOnly.evm.accounts.payer.address)).toBe(1_000_000_000_000n)
    } finally {
      await evmOnly.stop()
    }
    const svmOnly = await startDevnet({ chains: ['svm'] })
    try {
      expect(Object.keys(svmOnly.describe())).toEqual(['svm'])
      expect(evmNodeProcessesOf(process.pid)).toHaveLength(0)
      expect(await svmTokenBalance(svmOnly, svmOnly.svm.accounts.payer.address)).toBe(1_000_000_000_000n)
    } finally {
      await svmOnly.stop()
    }
    await expect(startDevnet({ chains: [] })).rejects.toThrow('chains must name at least one chain')
  })

  test('a taken Solana port fails the start and leaves neither node behind', async () => {
    const devnet = await startDevnet({ chains: ['svm'] })
    const before = [...evmNodeProcessesOf(process.pid), ...svmNodeProcessesOf(process.pid)].length
    try {
      const svmPort = Number(new URL(devnet.svm.rpcUrl).port)
      await expect(startDevnet({ svmPort })).rejects.toThrow(/EADDRINUSE|address already in use/i)
      expect([...evmNodeProcessesOf(process.pid), ...svmNodeProcessesOf(process.pid)]).toHaveLength(before)
    } finally {
      await devnet.stop()
    }
  })

  test('a pinned port is used, and a second start deploys the token at the same address', async () => {
    const first = await startDevnet({ chains: ['evm'] })
    const port = Number(new URL(first.evm.rpcUrl).port)
    const tokenAddress = first.evm.token.address
    await first.stop()
    const second = await startDevnet({ port, chains: ['evm'] })
    try {
      expect(second.evm.rpcUrl).toBe(`http://127.0.0.1:${port}`)
      expect(second.evm.token.address).toBe(tokenAddress)
    } finally {
      await second.stop()
    }
  })

  test('rejects when the port is taken, leaving no node behind', async () => {
    const devnet = await startDevnet({ chains: ['evm'] })
    const before = evmNodeProcessesOf(process.pid).length
    try {
      const port = Number(new URL(devnet.evm.rpcUrl).port)
      await expect(startDevnet({ port })).rejects.toThrow(/EADDRINUSE|address already in use/i)
      expect(evmNodeProcessesOf(process.pid)).toHaveLength(before)
      expect(svmNodeProcessesOf(process.pid)).toHaveLength(0)
    } finally {
      await devnet.stop()
    }
  })
})
