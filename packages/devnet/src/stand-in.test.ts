import {
  createPublicClient,
  createWalletClient,
  hashDomain,
  http,
  parseEventLogs,
  parseSignature,
  recoverTypedDataAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  authorization,
  signTransferAuthorization,
  TRANSFER_WITH_AUTHORIZATION_TYPES,
} from '../test/authorizations.js'
import { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
import { devnetChain } from './devnet-chain.js'
import type { Devnet } from './devnet-description.js'
import { mintTokens } from './mint-tokens.js'
import { DEVNET_TOKEN_ADDRESS } from './set-up-evm-chain.js'
import { startDevnet } from './start-devnet.js'
import { tokenBalance } from './token-balance.js'

const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
// Base Sepolia USDC's EIP-712 domain, as a client with a built-in asset table signs it.
const BASE_SEPOLIA_DOMAIN = {
  name: 'USDC',
  version: '2',
  chainId: 84532,
  verifyingContract: BASE_SEPOLIA_USDC,
} as const

describe("startDevnet({ standIn: 'base-sepolia' })", () => {
  let devnet: Devnet<'evm'>

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['evm'], standIn: 'base-sepolia' })
  })
  afterAll(() => devnet?.stop())

  const client = () => createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })

  test('describes chain 84532 with the token at Base Sepolia USDC, named as there', () => {
    const { evm } = devnet.describe()
    expect(evm.chainId).toBe(84532)
    expect(evm.network).toBe('eip155:84532')
    expect(evm.standIn).toBe('base-sepolia')
    expect(evm.token).toEqual({
      address: BASE_SEPOLIA_USDC,
      name: 'USDC',
      version: '2',
      symbol: 'USDC',
      decimals: 6,
    })
  })

  test('the node answers chain id 84532 and the token lives only at the stand-in address', async () => {
    expect(await client().getChainId()).toBe(84532)
    expect(await client().getCode({ address: BASE_SEPOLIA_USDC })).toMatch(/^0x[0-9a-f]{100,}$/)
    expect(await client().getCode({ address: DEVNET_TOKEN_ADDRESS })).toBeUndefined()
  })

  test('the token reports Base Sepolia USDC metadata and EIP-712 domain on chain', async () => {
    const token = { address: BASE_SEPOLIA_USDC, abi: usdcLikeTokenAbi } as const
    const [name, symbol, version, decimals, separator, domain] = await Promise.all([
      client().readContract({ ...token, functionName: 'name' }),
      client().readContract({ ...token, functionName: 'symbol' }),
      client().readContract({ ...token, functionName: 'version' }),
      client().readContract({ ...token, functionName: 'decimals' }),
      client().readContract({ ...token, functionName: 'DOMAIN_SEPARATOR' }),
      client().readContract({ ...token, functionName: 'eip712Domain' }),
    ])
    expect({ name, symbol, version, decimals }).toEqual({
      name: 'USDC',
      symbol: 'USDC',
      version: '2',
      decimals: 6,
    })
    expect(separator).toBe(
      hashDomain({
        domain: { ...BASE_SEPOLIA_DOMAIN, chainId: 84532n },
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
    expect(domain).toEqual(['0x0f', 'USDC', '2', 84532n, BASE_SEPOLIA_USDC, `0x${'0'.repeat(64)}`, []])
  })

  test('funds the payer and others with 1,000,000 USDC, and the deployer still mints', async () => {
    const { payer, facilitator, others } = devnet.evm.accounts
    for (const account of [payer, ...others]) {
      expect(await tokenBalance(devnet, account.address)).toBe(1_000_000_000_000n)
      // The Permit2 allowance is on the token at its stand-in address.
      const allowance = await createPublicClient({
        chain: devnetChain(devnet),
        transport: http(devnet.evm.rpcUrl),
      }).readContract({
        address: BASE_SEPOLIA_USDC,
        abi: usdcLikeTokenAbi,
        functionName: 'allowance',
        args: [account.address, devnet.evm.permit2],
      })
      expect(allowance).toBe(2n ** 256n - 1n)
    }
    expect(await tokenBalance(devnet, facilitator.address)).toBe(0n)
    const someone = privateKeyToAccount(`0x${'42'.repeat(32)}`).address
    await mintTokens(devnet, someone, 5_000_000n)
    expect(await tokenBalance(devnet, someone)).toBe(5_000_000n)
  })

  test('transferWithAuthorization signed for Base Sepolia USDC moves the funds', async () => {
    const { payer, merchant, facilitator } = devnet.evm.accounts
    const message = authorization({ from: payer.address, to: merchant.address, value: 1_000n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    // The description's domain is exactly Base Sepolia USDC's, so this is what any x402 client signs.
    expect(
      await recoverTypedDataAddress({
        domain: BASE_SEPOLIA_DOMAIN,
        types: TRANSFER_WITH_AUTHORIZATION_TYPES,
        primaryType: 'TransferWithAuthorization',
        message,
        signature,
      }),
    ).toBe(payer.address)
    const before = await tokenBalance(devnet, merchant.address)
    const { v, r, s } = parseSignature(signature)
    const wallet = createWalletClient({
      account: privateKeyToAccount(facilitator.privateKey),
      chain: devnetChain(devnet),
      transport: http(devnet.evm.rpcUrl),
    })
    const hash = await wallet.writeContract({
      address: BASE_SEPOLIA_USDC,
      abi: usdcLikeTokenAbi,
      functionName: 'transferWithAuthorization',
      args: [
        message.from,
        message.to,
        message.value,
        message.validAfter,
        message.validBefore,
        message.nonce,
        Number(v),
        r,
        s,
      ],
    })
    const receipt = await client().waitForTransactionReceipt({ hash, pollingInterval: 50 })
    expect(receipt.status).toBe('success')
    expect(
      parseEventLogs({ abi: usdcLikeTokenAbi, eventName: 'Transfer', logs: receipt.logs })[0]?.args,
    ).toEqual({
      from: payer.address,
      to: merchant.address,
      value: 1_000n,
    })
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 1_000n)
  })
})
