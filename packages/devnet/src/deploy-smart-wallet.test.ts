import { createPublicClient, createWalletClient, http, parseSignature } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { authorization, signTransferAuthorization } from '../test/authorizations.js'
import { smartWalletAbi } from './artifacts/smart-wallet.js'
import { usdcLikeTokenAbi } from './artifacts/usdc-like-token.js'
import { deploySmartWallet } from './deploy-smart-wallet.js'
import { devnetChain } from './devnet-chain.js'
import type { Devnet } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'
import { tokenBalance } from './token-balance.js'

const ERC1271_MAGIC_VALUE = '0x1626ba7e'

let devnet: Devnet<'evm'>
beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterAll(() => devnet?.stop())

function clients() {
  const chain = devnetChain(devnet)
  const transport = http(devnet.evm.rpcUrl)
  return {
    publicClient: createPublicClient({ chain, transport }),
    facilitator: createWalletClient({
      account: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      chain,
      transport,
    }),
  }
}

describe('deploySmartWallet', () => {
  test('deploys an EIP-1271 wallet owned by `owner`, holding 1,000,000 USDC', async () => {
    const owner = devnet.evm.accounts.others[0]
    if (owner === undefined) throw new Error('the devnet has no others[0]')
    const wallet = await deploySmartWallet(devnet, owner.address)
    const { publicClient } = clients()
    expect(await publicClient.getCode({ address: wallet })).toMatch(/^0x[0-9a-f]{100,}$/)
    expect(
      await publicClient.readContract({ address: wallet, abi: smartWalletAbi, functionName: 'owner' }),
    ).toBe(owner.address)
    expect(await tokenBalance(devnet, wallet)).toBe(1_000_000_000_000n)
    const second = await deploySmartWallet(devnet, owner.address)
    expect(second).not.toBe(wallet)
  })

  test('isValidSignature answers the magic value only for the owner', async () => {
    const [owner, stranger] = devnet.evm.accounts.others
    if (owner === undefined || stranger === undefined) throw new Error('the devnet has too few others')
    const wallet = await deploySmartWallet(devnet, owner.address)
    const hash = `0x${'ab'.repeat(32)}` as const
    const check = (signature: `0x${string}`) =>
      clients().publicClient.readContract({
        address: wallet,
        abi: smartWalletAbi,
        functionName: 'isValidSignature',
        args: [hash, signature],
      })
    expect(await check(await privateKeyToAccount(owner.privateKey).sign({ hash }))).toBe(ERC1271_MAGIC_VALUE)
    expect(await check(await privateKeyToAccount(stranger.privateKey).sign({ hash }))).toBe('0xffffffff')
    expect(await check('0x1234')).toBe('0xffffffff')
  })

  test('pays through transferWithAuthorization (bytes form) with the owner signing for the wallet', async () => {
    const owner = devnet.evm.accounts.others[1]
    if (owner === undefined) throw new Error('the devnet has no others[1]')
    const wallet = await deploySmartWallet(devnet, owner.address)
    const { merchant } = devnet.evm.accounts
    const message = authorization({ from: wallet, to: merchant.address, value: 2_500_000n })
    const signature = await signTransferAuthorization(devnet, owner.privateKey, message)
    const merchantBefore = await tokenBalance(devnet, merchant.address)

    const { publicClient, facilitator } = clients()
    const hash = await facilitator.writeContract({
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'transferWithAuthorization',
      args: [
        message.from,
        message.to,
        message.value,
        message.validAfter,
        message.validBefore,
        message.nonce,
        signature,
      ],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status).toBe(
      'success',
    )
    expect(await tokenBalance(devnet, wallet)).toBe(1_000_000_000_000n - 2_500_000n)
    expect(await tokenBalance(devnet, merchant.address)).toBe(merchantBefore + 2_500_000n)
  })

  test('refuses a wallet payment signed by someone other than the owner, in either form', async () => {
    const [owner, stranger] = [devnet.evm.accounts.others[2], devnet.evm.accounts.others[3]]
    if (owner === undefined || stranger === undefined) throw new Error('the devnet has too few others')
    const wallet = await deploySmartWallet(devnet, owner.address)
    const message = authorization({ from: wallet, to: devnet.evm.accounts.merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, stranger.privateKey, message)
    const args = [
      message.from,
      message.to,
      message.value,
      message.validAfter,
      message.validBefore,
      message.nonce,
    ] as const
    const token = {
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'transferWithAuthorization',
    } as const
    const { facilitator } = clients()
    await expect(facilitator.writeContract({ ...token, args: [...args, signature] })).rejects.toThrow(
      'FiatTokenV2: invalid signature',
    )
    const { v, r, s } = parseSignature(signature)
    await expect(facilitator.writeContract({ ...token, args: [...args, Number(v), r, s] })).rejects.toThrow(
      'FiatTokenV2: invalid signature',
    )
    expect(await tokenBalance(devnet, wallet)).toBe(1_000_000_000_000n)
  })
})
