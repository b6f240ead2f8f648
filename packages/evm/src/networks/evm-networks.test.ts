import { evmChainId } from '@open402/core'
import { getAddress } from 'viem'
import { describe, expect, test } from 'vitest'
import { EVM_NETWORKS, findEvmNetwork } from './evm-networks.js'
import { defaultEvmAsset, findEvmAsset } from './resolve-asset.js'

describe('EVM network table', () => {
  test('lists the eleven networks open402 supports out of the box', () => {
    expect(EVM_NETWORKS.map((entry) => entry.network).sort()).toEqual(
      [
        'eip155:1',
        'eip155:10',
        'eip155:11155111',
        'eip155:137',
        'eip155:42161',
        'eip155:421614',
        'eip155:43113',
        'eip155:43114',
        'eip155:80002',
        'eip155:8453',
        'eip155:84532',
      ].sort(),
    )
  })

  test.each(EVM_NETWORKS.map((entry) => [entry.name, entry] as const))(
    '%s entry is self-consistent',
    (_name, entry) => {
      expect(evmChainId(entry.network)).toBe(entry.chainId)
      expect(getAddress(entry.usdc.address)).toBe(entry.usdc.address)
      expect(entry.usdc.decimals).toBe(6)
      expect(entry.usdc.version).toBe('2')
      expect(['USD Coin', 'USDC']).toContain(entry.usdc.name)
    },
  )

  test('has no duplicate networks or token addresses', () => {
    expect(new Set(EVM_NETWORKS.map((entry) => entry.network)).size).toBe(EVM_NETWORKS.length)
    expect(new Set(EVM_NETWORKS.map((entry) => entry.usdc.address)).size).toBe(EVM_NETWORKS.length)
  })

  test('uses the EIP-712 domains the official packages use for Base and Base Sepolia', () => {
    expect(findEvmNetwork('eip155:8453')?.usdc).toMatchObject({
      address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
      name: 'USD Coin',
      version: '2',
    })
    expect(findEvmNetwork('eip155:84532')?.usdc).toMatchObject({
      address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      name: 'USDC',
      version: '2',
    })
  })

  test('knows nothing about unlisted networks', () => {
    expect(findEvmNetwork('eip155:31337')).toBeUndefined()
    expect(defaultEvmAsset('eip155:31337')).toBeUndefined()
  })
})

describe('asset resolution', () => {
  const devToken = {
    address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    name: 'USD Coin',
    version: '2',
    decimals: 6,
  }

  test('a configured asset is the default for its network and overrides the table', () => {
    expect(defaultEvmAsset('eip155:31337', { 'eip155:31337': devToken })).toBe(devToken)
    const custom = { ...devToken, decimals: 18 }
    expect(defaultEvmAsset('eip155:8453', { 'eip155:8453': custom })).toBe(custom)
  })

  test('finds assets by address case-insensitively, configured or built in', () => {
    expect(findEvmAsset('eip155:31337', devToken.address.toLowerCase(), { 'eip155:31337': devToken })).toBe(
      devToken,
    )
    expect(findEvmAsset('eip155:8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913')?.name).toBe('USD Coin')
    expect(findEvmAsset('eip155:8453', devToken.address)).toBeUndefined()
  })
})
