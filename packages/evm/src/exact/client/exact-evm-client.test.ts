import { isX402Error, type PaymentRequirements } from '@open402/core'
import { createWalletClient, custom, recoverTypedDataAddress, size } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '../../shared/transfer-with-authorization.js'
import { exactEvmClient } from './exact-evm-client.js'
import { signTransferAuthorization } from './sign-authorization.js'

// Hardhat's well-known first dev key: public, test-only.
const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')

const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: 'eip155:84532',
  amount: '10000',
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
  extra: { name: 'USDC', version: '2' },
}
const context = { x402Version: 2 as const, resource: { url: 'https://example.com/paid' } }

describe('exactEvmClient', () => {
  test('serves the exact scheme on every eip155 network and pays from the account', () => {
    const client = exactEvmClient({ account })
    expect(client.scheme).toBe('exact')
    expect(client.network).toBe('eip155:*')
    expect(client.payer('eip155:8453')).toBe(account.address)
  })

  test('signs a TransferWithAuthorization over the token domain from requirements.extra', async () => {
    const before = Math.floor(Date.now() / 1000)
    const payload = (await exactEvmClient({ account }).createPayload(requirements, context)) as {
      signature: `0x${string}`
      authorization: Record<string, string>
    }
    const after = Math.floor(Date.now() / 1000)
    const { authorization } = payload
    expect(authorization.from).toBe(account.address)
    expect(authorization.to).toBe(requirements.payTo)
    expect(authorization.value).toBe('10000')
    expect(Number(authorization.validAfter)).toBeGreaterThanOrEqual(before - 600)
    expect(Number(authorization.validAfter)).toBeLessThanOrEqual(after - 600)
    expect(Number(authorization.validBefore)).toBeGreaterThanOrEqual(before + 300)
    expect(Number(authorization.validBefore)).toBeLessThanOrEqual(after + 300)
    expect(authorization.nonce).toMatch(/^0x[0-9a-f]{64}$/)
    expect(size(payload.signature)).toBe(65)
    const signer = await recoverTypedDataAddress({
      domain: {
        name: 'USDC',
        version: '2',
        chainId: 84532,
        verifyingContract: requirements.asset as `0x${string}`,
      },
      types: TRANSFER_WITH_AUTHORIZATION_TYPES,
      primaryType: 'TransferWithAuthorization',
      message: {
        from: authorization.from as `0x${string}`,
        to: authorization.to as `0x${string}`,
        value: BigInt(authorization.value as string),
        validAfter: BigInt(authorization.validAfter as string),
        validBefore: BigInt(authorization.validBefore as string),
        nonce: authorization.nonce as `0x${string}`,
      },
      signature: payload.signature,
    })
    expect(signer).toBe(account.address)
  })

  test('uses a fresh random nonce for every payment', async () => {
    const client = exactEvmClient({ account })
    const nonces = await Promise.all(
      [1, 2, 3].map(async () => {
        const payload = (await client.createPayload(requirements, context)) as {
          authorization: { nonce: string }
        }
        return payload.authorization.nonce
      }),
    )
    expect(new Set(nonces).size).toBe(3)
  })

  test('produces the same signature through a WalletClient as through the account', async () => {
    const walletClient = createWalletClient({
      account,
      transport: custom({
        request: async () => {
          throw new Error('a local account signs without RPC')
        },
      }),
    })
    const fixed = { now: 1_750_000_000, nonce: `0x${'ab'.repeat(32)}` as const }
    const direct = await signTransferAuthorization(
      (typed) => account.signTypedData(typed),
      account.address,
      requirements,
      fixed,
    )
    const viaWallet = await signTransferAuthorization(
      (typed) => walletClient.signTypedData({ ...typed, account }),
      account.address,
      requirements,
      fixed,
    )
    expect(viaWallet).toEqual(direct)
    expect(direct.authorization).toEqual({
      from: account.address,
      to: requirements.payTo,
      value: '10000',
      validAfter: '1749999400',
      validBefore: '1750000300',
      nonce: fixed.nonce,
    })
    const client = exactEvmClient({ signer: walletClient })
    expect(client.payer('eip155:84532')).toBe(account.address)
  })

  test.each([
    ['no extra', { ...requirements, extra: undefined }],
    ['no name', { ...requirements, extra: { version: '2' } }],
    ['no version', { ...requirements, extra: { name: 'USDC' } }],
  ])('refuses requirements with %s as invalid_config', async (_case, bad) => {
    const error = await exactEvmClient({ account })
      .createPayload(bad, context)
      .catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('extra.name and extra.version')
  })

  test('knows the decimals of table and configured assets only', () => {
    const devToken = {
      address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      name: 'USD Coin',
      version: '2',
      decimals: 6,
    }
    const client = exactEvmClient({ account, assets: { 'eip155:31337': devToken } })
    expect(client.decimals?.('eip155:8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913')).toBe(6)
    expect(client.decimals?.('eip155:31337', devToken.address)).toBe(6)
    expect(client.decimals?.('eip155:31337', '0x0000000000000000000000000000000000000001')).toBeUndefined()
  })
})
