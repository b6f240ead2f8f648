import { isX402Error } from '@open402/core'
import { describe, expect, it } from 'vitest'
import { resolveCliConfig } from './resolve-cli-config.js'

const KEY = `0x${'11'.repeat(32)}`
const OTHER_KEY = `0x${'22'.repeat(32)}`
const files: Record<string, string> = {
  'keys.txt': `${KEY}\n${OTHER_KEY}\n`,
  'config.json': JSON.stringify({
    evm: [{ network: 'eip155:8453', rpcUrl: 'https://base.example', privateKeys: [OTHER_KEY] }],
  }),
  'bad.json': '{ nope',
}
const readFile = (path: string) => {
  const text = files[path]
  if (text === undefined) throw new Error(`ENOENT: ${path}`)
  return text
}
const resolve = (argv: string[], env: Record<string, string> = {}) =>
  resolveCliConfig({ argv, env, readFile })

function errorOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (isX402Error(error, 'invalid_config')) return error.message
    throw error
  }
  throw new Error('expected an invalid_config error')
}

describe('resolveCliConfig', () => {
  it('reads networks from flag pairs and the key from the environment, on 127.0.0.1:4020 by default', () => {
    const config = resolve(['--network', 'eip155:31337', '--rpc-url', 'http://127.0.0.1:8545'], {
      OPEN402_FACILITATOR_PRIVATE_KEY: KEY,
    })
    expect(config).toEqual({
      port: 4020,
      host: '127.0.0.1',
      config: { evm: [{ network: 'eip155:31337', rpcUrl: 'http://127.0.0.1:8545', privateKeys: [KEY] }] },
    })
  })

  it('reads networks from OPEN402_EVM_NETWORKS and port and host from the environment', () => {
    const config = resolve([], {
      OPEN402_EVM_NETWORKS: JSON.stringify([{ network: 'eip155:1', rpcUrl: 'https://eth.example' }]),
      OPEN402_FACILITATOR_PRIVATE_KEY: KEY,
      PORT: '0',
      HOST: '0.0.0.0',
    })
    expect(config?.port).toBe(0)
    expect(config?.host).toBe('0.0.0.0')
    expect(config?.config.evm).toEqual([
      { network: 'eip155:1', rpcUrl: 'https://eth.example', privateKeys: [KEY] },
    ])
  })

  it('lets flags win over the environment', () => {
    const config = resolve(
      ['--port', '5000', '--host', '::1', '--network', 'eip155:10', '--rpc-url', 'https://op.example'],
      {
        PORT: '6000',
        OPEN402_EVM_NETWORKS: JSON.stringify([{ network: 'eip155:1', rpcUrl: 'https://eth.example' }]),
        OPEN402_FACILITATOR_PRIVATE_KEY: KEY,
      },
    )
    expect(config?.port).toBe(5000)
    expect(config?.host).toBe('::1')
    expect(config?.config.evm.map((entry) => entry.network)).toEqual(['eip155:10'])
  })

  it('reads several keys from --key-file', () => {
    const config = resolve([
      '--key-file',
      'keys.txt',
      '--network',
      'eip155:31337',
      '--rpc-url',
      'http://localhost:8545',
    ])
    expect(config?.config.evm[0]?.privateKeys).toEqual([KEY, OTHER_KEY])
  })

  it('reads a --config file whose entries carry their own keys', () => {
    const config = resolve(['--config', 'config.json'])
    expect(config?.config.evm).toEqual([
      { network: 'eip155:8453', rpcUrl: 'https://base.example', privateKeys: [OTHER_KEY] },
    ])
  })

  it('returns undefined for --help', () => {
    expect(resolve(['--help'])).toBeUndefined()
  })

  it.each([
    ['an unknown flag such as --private-key', ['--private-key', KEY], {}, /Unknown option '--private-key'/],
    [
      'an unpaired --network',
      ['--network', 'eip155:1'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /come in pairs/,
    ],
    ['no network at all', [], { OPEN402_FACILITATOR_PRIVATE_KEY: KEY }, /no EVM network configured/],
    [
      'a network without keys',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      {},
      /privateKeys must list/,
    ],
    [
      'a malformed key',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: '0x12' },
      /32-byte hex/,
    ],
    [
      'a non-EVM network',
      ['--network', 'solana:abc', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /evm\[0\]\.network/,
    ],
    [
      'an RPC URL that is not a URL',
      ['--network', 'eip155:1', '--rpc-url', 'localhost'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /evm\[0\]\.rpcUrl/,
    ],
    ['a bad port', ['--port', 'http'], {}, /port must be an integer/],
    ['an unreadable config', ['--config', 'missing.json'], {}, /cannot read missing.json/],
    ['a config that is not JSON', ['--config', 'bad.json'], {}, /config file bad.json is not valid JSON/],
    ['OPEN402_EVM_NETWORKS that is not an array', [], { OPEN402_EVM_NETWORKS: '{}' }, /must be a JSON array/],
  ])('rejects %s with invalid_config', (_name, argv, env, message) => {
    expect(errorOf(() => resolve(argv, env as Record<string, string>))).toMatch(message)
  })

  it('never echoes a malformed key in its error', () => {
    const secret = `0x${'ab'.repeat(31)}`
    const message = errorOf(() =>
      resolve(['--network', 'eip155:1', '--rpc-url', 'https://x.example'], {
        OPEN402_FACILITATOR_PRIVATE_KEY: secret,
      }),
    )
    expect(message).not.toContain(secret)
  })
})
