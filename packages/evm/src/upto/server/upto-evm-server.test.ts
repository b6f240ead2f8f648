import { describe, expect, test } from 'vitest'
import { uptoEvmServer } from './upto-evm-server.js'

const base = {
  scheme: 'upto',
  network: 'eip155:8453' as const,
  amount: '50000',
  asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 300,
}

describe('uptoEvmServer', () => {
  test('prices the maximum in USDC with assetTransferMethod permit2 and the token domain', () => {
    expect(uptoEvmServer().price('$0.05', 'eip155:8453')).toEqual({
      amount: '50000',
      asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
      extra: { name: 'USD Coin', version: '2', assetTransferMethod: 'permit2' },
    })
  })

  test('takes an AssetAmount of any ERC-20: no EIP-712 domain needed for Permit2', () => {
    const asset = '0x0000000000000000000000000000000000000abc'
    expect(uptoEvmServer().price({ amount: '7', asset }, 'eip155:8453')).toEqual({
      amount: '7',
      asset,
      extra: { assetTransferMethod: 'permit2' },
    })
  })

  test('completes the offer with the facilitator address from /supported, checksummed', () => {
    const completed = uptoEvmServer().complete?.(
      { ...base, extra: { assetTransferMethod: 'permit2' } },
      {
        x402Version: 2,
        scheme: 'upto',
        network: 'eip155:8453',
        extra: { facilitatorAddress: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' },
      },
    )
    expect(completed?.extra).toEqual({
      assetTransferMethod: 'permit2',
      facilitatorAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    })
  })

  test('leaves the offer unchanged when the kind names no facilitator', () => {
    const requirements = { ...base, extra: { assetTransferMethod: 'permit2' } }
    expect(
      uptoEvmServer().complete?.(requirements, { x402Version: 2, scheme: 'upto', network: 'eip155:8453' }),
    ).toBe(requirements)
  })
})
