import { type Address, createSolanaRpc, generateKeyPairSigner } from '@solana/kit'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Devnet } from './devnet-description.js'
import { mintSvmTokens } from './mint-svm-tokens.js'
import { startDevnet } from './start-devnet.js'
import { svmAssociatedTokenAddress } from './svm-genesis.js'
import { svmTokenBalance } from './svm-token-balance.js'

describe('mintSvmTokens and svmTokenBalance', () => {
  let devnet: Devnet<'svm'>
  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'] })
  })
  afterAll(() => devnet?.stop())

  test('creates the associated token account of a new owner and mints into it, for both mints', async () => {
    const owner = (await generateKeyPairSigner()).address
    expect(await svmTokenBalance(devnet, owner)).toBe(0n)
    const signature = await mintSvmTokens(devnet, owner, 5_000_000n)
    expect(signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    await mintSvmTokens(devnet, owner, 7_000_000n, devnet.svm.mint2022)
    await mintSvmTokens(devnet, owner, 1_000_000n, devnet.svm.mint2022.address)
    expect(await svmTokenBalance(devnet, owner)).toBe(5_000_000n)
    expect(await svmTokenBalance(devnet, owner, devnet.svm.mint2022)).toBe(8_000_000n)
    expect(await svmTokenBalance(devnet, owner, devnet.svm.mint.address)).toBe(5_000_000n)
  })

  test('the accounts it creates match the ones the devnet starts with, byte for byte but owner and amount', async () => {
    const owner = (await generateKeyPairSigner()).address
    const rpc = createSolanaRpc(devnet.svm.rpcUrl)
    for (const mint of [devnet.svm.mint, devnet.svm.mint2022]) {
      await mintSvmTokens(devnet, owner, 0n, mint)
      const created = await svmAssociatedTokenAddress(owner, mint.address, mint.tokenProgram)
      const genesis = await svmAssociatedTokenAddress(
        devnet.svm.accounts.merchant.address,
        mint.address,
        mint.tokenProgram,
      )
      const [a, b] = await Promise.all(
        [created, genesis].map(
          async (ata) => (await rpc.getAccountInfo(ata as Address, { encoding: 'base64' }).send()).value,
        ),
      )
      expect(a?.owner).toBe(mint.tokenProgram)
      expect({ lamports: a?.lamports, space: a?.space }).toEqual({ lamports: b?.lamports, space: b?.space })
      const bytesA = Buffer.from(a?.data[0] ?? '', 'base64')
      const bytesB = Buffer.from(b?.data[0] ?? '', 'base64')
      expect(bytesA.subarray(0, 32)).toEqual(bytesB.subarray(0, 32)) // mint
      expect(bytesA.subarray(64)).toEqual(bytesB.subarray(64)) // amount 0, state, extensions
    }
  })

  test('adds to an existing balance and refuses an unknown mint', async () => {
    const holder = devnet.svm.accounts.others[3]
    if (holder === undefined) throw new Error('no others account')
    await mintSvmTokens(devnet, holder.address, 2n)
    expect(await svmTokenBalance(devnet, holder.address)).toBe(1_000_000_000_002n)
    await expect(
      mintSvmTokens(devnet, holder.address, 1n, '11111111111111111111111111111112'),
    ).rejects.toThrow('no mint at 11111111111111111111111111111112')
  })
})
