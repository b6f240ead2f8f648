import { EVM_NETWORKS } from '@open402/evm'
import { SVM_NETWORKS } from '@open402/svm'
import { describe, expect, test } from 'vitest'
import { DEFAULT_ASSETS, findAsset, TOKEN_PROGRAM } from './assets.js'
import { DEFAULT_NETWORKS, resolveNetwork } from './networks.js'

// The paywall keeps its own small copy of the public networks so that the server bundle does not load
// viem or @solana/kit; these tests keep the copy in step with the scheme packages.
describe('the built-in networks and assets', () => {
  test('name every network of @open402/evm and @open402/svm as they do', () => {
    const expected = Object.fromEntries(
      [...EVM_NETWORKS, ...SVM_NETWORKS].map((entry) => [entry.network, entry.name]),
    )
    const names = Object.fromEntries(Object.entries(DEFAULT_NETWORKS).map(([id, entry]) => [id, entry.name]))
    expect(names).toEqual(expected)
  })

  test("hold the schemes' USDC addresses, decimals and token programs", () => {
    const expected = Object.fromEntries([
      ...EVM_NETWORKS.map((entry) => [
        entry.network,
        { address: entry.usdc.address, decimals: entry.usdc.decimals, symbol: entry.usdc.symbol },
      ]),
      ...SVM_NETWORKS.flatMap((entry) =>
        entry.usdc
          ? [
              [
                entry.network,
                {
                  address: entry.usdc.address,
                  decimals: entry.usdc.decimals,
                  symbol: entry.usdc.symbol,
                  tokenProgram: entry.usdc.tokenProgram ?? TOKEN_PROGRAM,
                },
              ],
            ]
          : [],
      ),
    ])
    expect(DEFAULT_ASSETS).toEqual(expected)
  })

  test('configured entries override the built-in ones field by field; EVM addresses match in any case', () => {
    expect(resolveNetwork('eip155:8453', { 'eip155:8453': { rpcUrl: 'https://rpc.example' } })).toMatchObject(
      {
        name: 'Base',
        rpcUrl: 'https://rpc.example',
      },
    )
    const base = DEFAULT_ASSETS['eip155:8453']
    expect(findAsset('eip155:8453', base?.address.toLowerCase() ?? '', undefined)).toBe(base)
    const mine = { address: '0x0000000000000000000000000000000000000001', decimals: 2 }
    expect(findAsset('eip155:8453', mine.address, { 'eip155:8453': [mine] })).toBe(mine)
  })
})
