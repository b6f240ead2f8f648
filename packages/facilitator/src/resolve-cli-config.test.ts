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
  'typo.json': JSON.stringify({
    evm: [{ network: 'eip155:1', rpcUrl: 'https://x.example' }],
    limits: { maxBody: 1 },
  }),
  'full.json': JSON.stringify({
    server: { host: '0.0.0.0', port: 8080, trustProxy: true },
    evm: [{ network: 'eip155:8453', rpcUrl: 'https://base.example' }],
    auth: { protectMetrics: true },
    limits: { maxBodyBytes: 32768, rateLimit: { requests: 10, windowMs: 1000 } },
    logging: { level: 'warn' },
    idempotency: { ttlMs: 3_600_000 },
    discovery: { usdAssets: [{ network: 'eip155:8453', asset: '0xUSDT', decimals: 6 }] },
  }),
  'api-keys.txt': 'first-api-key-0123456789\nsecond-api-key-0123456789\n',
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
    expect(config?.server).toMatchObject({ port: 4020, host: '127.0.0.1', trustProxy: false })
    expect(config?.evm).toEqual([
      { network: 'eip155:31337', rpcUrl: 'http://127.0.0.1:8545', privateKeys: [KEY], schemes: ['exact'] },
    ])
    expect(config?.svm).toEqual([])
    expect(config?.storage).toEqual({ url: 'sqlite:./open402.db', reconcileIntervalMs: 10_000 })
    expect(config?.auth).toEqual({ apiKeys: [], protectMetrics: false })
    expect(config?.limits).toEqual({ maxBodyBytes: 65536 })
    expect(config?.logging).toEqual({ level: 'info' })
  })

  it('reads networks from OPEN402_EVM_NETWORKS and port and host from the environment', () => {
    const config = resolve([], {
      OPEN402_EVM_NETWORKS: JSON.stringify([{ network: 'eip155:1', rpcUrl: 'https://eth.example' }]),
      OPEN402_FACILITATOR_PRIVATE_KEY: KEY,
      PORT: '0',
      HOST: '0.0.0.0',
    })
    expect(config?.server.port).toBe(0)
    expect(config?.server.host).toBe('0.0.0.0')
    expect(config?.evm).toEqual([
      { network: 'eip155:1', rpcUrl: 'https://eth.example', privateKeys: [KEY], schemes: ['exact'] },
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
    expect(config?.server.port).toBe(5000)
    expect(config?.server.host).toBe('::1')
    expect(config?.evm.map((entry) => entry.network)).toEqual(['eip155:10'])
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
    expect(config?.evm[0]?.privateKeys).toEqual([KEY, OTHER_KEY])
  })

  it('reads a --config file whose entries carry their own keys', () => {
    const config = resolve(['--config', 'config.json'])
    expect(config?.evm).toEqual([
      {
        network: 'eip155:8453',
        rpcUrl: 'https://base.example',
        privateKeys: [OTHER_KEY],
        schemes: ['exact'],
      },
    ])
  })

  it('reads every section from the config file, with the environment and flags overriding it', () => {
    const config = resolve(['--config', 'full.json', '--port', '9090', '--rate-limit', '120/60'], {
      OPEN402_EVM_PRIVATE_KEYS: `${KEY},${OTHER_KEY}`,
      OPEN402_LOG_LEVEL: 'debug',
      OPEN402_STORAGE_URL: 'postgres://open402:secret@db.internal/open402',
      OPEN402_API_KEYS: 'first-api-key-0123456789, second-api-key-0123456789',
    })
    expect(config).toEqual({
      server: {
        host: '0.0.0.0',
        port: 9090,
        trustProxy: true,
        shutdownTimeoutMs: 30000,
        readinessTimeoutMs: 3000,
      },
      evm: [
        {
          network: 'eip155:8453',
          rpcUrl: 'https://base.example',
          privateKeys: [KEY, OTHER_KEY],
          schemes: ['exact'],
        },
      ],
      svm: [],
      rpc: { retries: 2, retryDelayMs: 150 },
      storage: { url: 'postgres://open402:secret@db.internal/open402', reconcileIntervalMs: 10_000 },
      auth: { apiKeys: ['first-api-key-0123456789', 'second-api-key-0123456789'], protectMetrics: true },
      limits: { maxBodyBytes: 32768, rateLimit: { requests: 120, windowMs: 60000 } },
      logging: { level: 'debug' },
      idempotency: { enabled: true, ttlMs: 3_600_000 },
      discovery: { enabled: true, usdAssets: [{ network: 'eip155:8453', asset: '0xUSDT', decimals: 6 }] },
    })
  })

  it('reads API keys from --api-key-file and Solana networks from OPEN402_SVM_NETWORKS', () => {
    const secretKey = '4'.repeat(88)
    const config = resolve(['--api-key-file', 'api-keys.txt'], {
      OPEN402_SVM_NETWORKS: JSON.stringify([
        { network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', rpcUrl: 'http://127.0.0.1:8899' },
      ]),
      OPEN402_SVM_SECRET_KEYS: secretKey,
    })
    expect(config?.auth.apiKeys).toEqual(['first-api-key-0123456789', 'second-api-key-0123456789'])
    expect(config?.svm).toEqual([
      {
        network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
        rpcUrl: 'http://127.0.0.1:8899',
        secretKeys: [secretKey],
      },
    ])
    expect(config?.evm).toEqual([])
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
    [
      'no network at all',
      [],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /no network configured; pass --network/,
    ],
    [
      'a network without keys',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      {},
      /config\.evm\[0\]\.privateKeys: must list at least one key/,
    ],
    [
      'a malformed key',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: '0x12' },
      /config\.evm\[0\]\.privateKeys\[0\]: must be 0x followed by 64 hex digits/,
    ],
    [
      'a network of an unsupported family',
      ['--network', 'cosmos:hub', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /--network cosmos:hub: only eip155:\* and solana:\* networks are supported/,
    ],
    [
      'a Solana network without secret keys',
      ['--network', 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /config\.svm\[0\]\.secretKeys: must list at least one key/,
    ],
    [
      'an EVM network id that is not eip155:<number>',
      [],
      {
        OPEN402_EVM_NETWORKS: '[{"network":"eip155:base","rpcUrl":"https://x.example"}]',
        OPEN402_FACILITATOR_PRIVATE_KEY: KEY,
      },
      /config\.evm\[0\]\.network: must be an EVM CAIP-2 id/,
    ],
    [
      'an RPC URL that is not a URL',
      ['--network', 'eip155:1', '--rpc-url', 'localhost'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /evm\[0\]\.rpcUrl/,
    ],
    ['a bad port', ['--port', 'http'], {}, /port must be an integer/],
    [
      'a port out of range',
      ['--port', '70000', '--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /config\.server\.port: /,
    ],
    ['a malformed rate limit', ['--rate-limit', 'lots'], {}, /rate limit must be REQUESTS\/SECONDS/],
    [
      'a short API key',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY, OPEN402_API_KEYS: 'short' },
      /config\.auth\.apiKeys\[0\]: must be at least 16 characters/,
    ],
    [
      'a storage URL of another database',
      ['--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY, OPEN402_STORAGE_URL: 'mysql://db' },
      /config\.storage\.url: must be sqlite:PATH or postgres/,
    ],
    [
      'an unknown field in the config file',
      ['--config', 'typo.json'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /config\.limits: Unrecognized key: "maxBody"/,
    ],
    [
      'an unknown log level',
      ['--log-level', 'loud', '--network', 'eip155:1', '--rpc-url', 'https://x.example'],
      { OPEN402_FACILITATOR_PRIVATE_KEY: KEY },
      /config\.logging\.level: /,
    ],
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
