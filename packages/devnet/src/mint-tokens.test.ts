import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Devnet } from './devnet-description.js'
import { mintTokens } from './mint-tokens.js'
import { startDevnet } from './start-devnet.js'
import { tokenBalance } from './token-balance.js'

let devnet: Devnet<'evm'>
beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterAll(() => devnet?.stop())

describe('mintTokens and tokenBalance', () => {
  test('mint to an address with no code and no ETH', async () => {
    const fresh = '0x000000000000000000000000000000000000dEaD'
    expect(await tokenBalance(devnet, fresh)).toBe(0n)
    await mintTokens(devnet, fresh, 5_000_000n)
    expect(await tokenBalance(devnet, fresh)).toBe(5_000_000n)
  })

  test('concurrent mints all land (the node assigns the minter nonces)', async () => {
    const { merchant } = devnet.evm.accounts
    const before = await tokenBalance(devnet, merchant.address)
    await Promise.all(
      [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n].map((amount) => mintTokens(devnet, merchant.address, amount)),
    )
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 36n)
  })

  test('a zero mint is refused with the token reason', async () => {
    await expect(mintTokens(devnet, devnet.evm.accounts.merchant.address, 0n)).rejects.toThrow(
      'FiatToken: mint amount not greater than 0',
    )
  })
})
