import type { PaymentRequirements } from '@open402/core'
import { signTransferAuthorization } from '@open402/evm/client'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { transferAuthorizationTypedData } from './transfer-authorization.js'

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const requirements: PaymentRequirements = {
  scheme: 'exact',
  network: 'eip155:84532',
  amount: '10000',
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 60,
  extra: { name: 'USDC', version: '2' },
}
const timing = { now: 1_750_000_000, nonce: `0x${'ab'.repeat(32)}` }

describe('the page builds the EIP-3009 authorization', () => {
  test('with the same fields and signature as @open402/evm signTransferAuthorization', async () => {
    const { authorization, typedData } = transferAuthorizationTypedData(
      requirements,
      account.address,
      84532,
      timing,
    )
    const reference = await signTransferAuthorization(
      (data) => account.signTypedData(data),
      account.address,
      requirements,
      timing as { now: number; nonce: `0x${string}` },
    )
    expect(authorization).toEqual(reference.authorization)
    // A wallet signs the JSON with uints as decimal strings; viem needs them as bigints.
    const parsed = JSON.parse(typedData)
    expect(parsed.domain).toEqual({
      name: 'USDC',
      version: '2',
      chainId: 84532,
      verifyingContract: requirements.asset,
    })
    expect(parsed.types.EIP712Domain.map((field: { name: string }) => field.name)).toEqual([
      'name',
      'version',
      'chainId',
      'verifyingContract',
    ])
    const { EIP712Domain: _, ...types } = parsed.types
    const signature = await account.signTypedData({
      domain: parsed.domain,
      types,
      primaryType: parsed.primaryType,
      message: {
        ...parsed.message,
        value: BigInt(parsed.message.value),
        validAfter: BigInt(parsed.message.validAfter),
        validBefore: BigInt(parsed.message.validBefore),
      },
    })
    expect(signature).toBe(reference.signature)
  })

  test('validAfter is now - 600, validBefore now + maxTimeoutSeconds, and the nonce is random 32 bytes', () => {
    const a = transferAuthorizationTypedData(requirements, account.address, 84532, { now: 1000 })
    const b = transferAuthorizationTypedData(requirements, account.address, 84532, { now: 1000 })
    expect([a.authorization.validAfter, a.authorization.validBefore]).toEqual(['400', '1060'])
    expect(a.authorization.nonce).toMatch(/^0x[0-9a-f]{64}$/)
    expect(a.authorization.nonce).not.toBe(b.authorization.nonce)
    expect(
      transferAuthorizationTypedData(requirements, account.address, 84532, { now: 10 }).authorization
        .validAfter,
    ).toBe('0')
  })

  test.each([
    ['no EIP-712 domain in extra', { extra: {} }, 'extra.name and extra.version'],
    ['a payTo that is not an address', { payTo: 'merchant' }, 'EVM addresses'],
  ])('refuses requirements with %s', (_what, change, message) => {
    expect(() =>
      transferAuthorizationTypedData({ ...requirements, ...change }, account.address, 84532),
    ).toThrow(message)
  })
})
