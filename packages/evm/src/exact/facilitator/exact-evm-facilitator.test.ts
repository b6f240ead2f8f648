import { isX402Error } from '@open402/core'
import { createWalletClient, custom } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { exactEvmFacilitator } from './exact-evm-facilitator.js'

// Hardhat's well-known dev keys: public, test-only.
const first = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
const second = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const unreachable = custom({
  request: async () => {
    throw new Error('no RPC expected in this test')
  },
})

function configError(build: () => unknown): unknown {
  try {
    build()
  } catch (error) {
    return error
  }
  return undefined
}

describe('exactEvmFacilitator configuration', () => {
  test('serves one kind per configured network and lists every signer under eip155:*', () => {
    const facilitator = exactEvmFacilitator({
      signer: [first, createWalletClient({ account: second, transport: unreachable })],
      networks: { 'eip155:8453': 'https://mainnet.base.org', 'eip155:84532': { transport: unreachable } },
    })
    expect(facilitator.scheme).toBe('exact')
    expect(facilitator.network).toBe('eip155:*')
    expect(facilitator.kinds()).toEqual([
      { x402Version: 2, scheme: 'exact', network: 'eip155:8453' },
      { x402Version: 2, scheme: 'exact', network: 'eip155:84532' },
    ])
    expect(facilitator.signers()).toEqual({ 'eip155:*': [first.address, second.address] })
  })

  test('refuses a WalletClient whose account the node holds (it cannot sign locally)', () => {
    const error = configError(() =>
      exactEvmFacilitator({
        signer: createWalletClient({ account: first.address, transport: unreachable }),
        networks: { 'eip155:8453': 'https://mainnet.base.org' },
      }),
    )
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('LocalAccount')
  })

  test('refuses a configuration without networks or without an RPC', () => {
    expect(
      isX402Error(
        configError(() => exactEvmFacilitator({ signer: first, networks: {} })),
        'invalid_config',
      ),
    ).toBe(true)
    const noRpc = configError(() => exactEvmFacilitator({ signer: first, networks: { 'eip155:8453': {} } }))
    expect(isX402Error(noRpc, 'invalid_config')).toBe(true)
    expect((noRpc as Error).message).toContain('eip155:8453 needs an rpcUrl, a transport or a client')
  })

  test('refuses a network that is not eip155 with a numeric chain id', () => {
    const error = configError(() =>
      exactEvmFacilitator({
        signer: first,
        networks: { 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp': 'https://x' },
      }),
    )
    expect(isX402Error(error, 'invalid_network')).toBe(true)
  })
})
