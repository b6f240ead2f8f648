import { isX402Error } from '@open402/core'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { createEvmFacilitatorFromConfig } from './create-evm-facilitator.js'

const KEY_A = `0x${'11'.repeat(32)}` as const
const KEY_B = `0x${'22'.repeat(32)}` as const
const A = privateKeyToAccount(KEY_A).address
const B = privateKeyToAccount(KEY_B).address

describe('createEvmFacilitatorFromConfig', () => {
  it('serves every configured network with the shared keys', async () => {
    const facilitator = createEvmFacilitatorFromConfig({
      evm: [
        { network: 'eip155:8453', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A, KEY_B] },
        { network: 'eip155:84532', rpcUrl: 'http://127.0.0.1:2', privateKeys: [KEY_A, KEY_B] },
      ],
    })
    const supported = await facilitator.supported()
    expect(supported.kinds.map((kind) => `${kind.scheme} ${kind.network}`)).toEqual([
      'exact eip155:8453',
      'exact eip155:84532',
    ])
    expect(supported.signers).toEqual({ 'eip155:*': [A, B] })
  })

  it('keeps networks with different keys apart, each with its own signer', async () => {
    const facilitator = createEvmFacilitatorFromConfig({
      evm: [
        { network: 'eip155:8453', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A] },
        { network: 'eip155:10', rpcUrl: 'http://127.0.0.1:2', privateKeys: [KEY_B] },
      ],
    })
    const supported = await facilitator.supported()
    expect(supported.kinds.map((kind) => kind.network)).toEqual(['eip155:8453', 'eip155:10'])
    expect(new Set(supported.signers['eip155:*'])).toEqual(new Set([A, B]))
  })

  it('refuses a configuration with a malformed key, naming the field but not the key', () => {
    const run = () =>
      createEvmFacilitatorFromConfig({
        evm: [
          {
            network: 'eip155:8453',
            rpcUrl: 'http://127.0.0.1:1',
            privateKeys: ['0xnotakey' as `0x${string}`],
          },
        ],
      })
    expect(run).toThrowError(/evm\[0\]\.privateKeys\[0\] must be 0x followed by 64 hex digits/)
    try {
      run()
    } catch (error) {
      expect(isX402Error(error, 'invalid_config')).toBe(true)
      expect((error as Error).message).not.toContain('0xnotakey')
    }
  })
})
