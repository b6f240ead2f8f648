import { type Hex, keccak256, stringToHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { recoverSigner } from './recovered-signers.js'

// Hardhat's well-known dev key: public, test-only.
const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
const digest = keccak256(stringToHex('open402 recovered-signers test'))

describe('recoverSigner', () => {
  test('recovers the signing address, and gives the same answer when asked again', async () => {
    const signature = await account.sign({ hash: digest })
    expect(await recoverSigner(digest, signature)).toBe(account.address)
    expect(await recoverSigner(digest, signature)).toBe(account.address)
    // Upper-case hex is the same signature, so the same answer.
    expect(await recoverSigner(digest, `0x${signature.slice(2).toUpperCase()}` as Hex)).toBe(account.address)
  })

  test('recovers another address for another digest (answers are keyed on digest and signature)', async () => {
    const signature = await account.sign({ hash: digest })
    expect(await recoverSigner(digest, signature)).toBe(account.address)
    const other = keccak256(stringToHex('another message'))
    const recovered = await recoverSigner(other, signature)
    expect(recovered).not.toBe(account.address)
    expect(recovered).toMatch(/^0x[0-9a-fA-F]{40}$/)
  })

  test('answers null for a signature nothing can be recovered from, every time', async () => {
    const invalid = `0x${'00'.repeat(64)}1b` as Hex
    expect(await recoverSigner(digest, invalid)).toBeNull()
    expect(await recoverSigner(digest, invalid)).toBeNull()
  })
})
