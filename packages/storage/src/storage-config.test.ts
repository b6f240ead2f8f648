import { isX402Error } from '@open402/core'
import { describe, expect, test } from 'vitest'
import { resolveStorageConfig, type StorageConfig } from './storage-config.js'

describe('resolveStorageConfig', () => {
  test.each<[StorageConfig, ReturnType<typeof resolveStorageConfig>]>([
    [{ url: 'sqlite:/var/lib/open402.db' }, { engine: 'sqlite', path: '/var/lib/open402.db' }],
    [{ url: 'sqlite:./data/open402.db' }, { engine: 'sqlite', path: './data/open402.db' }],
    [{ url: 'sqlite:///var/lib/open402.db' }, { engine: 'sqlite', path: '/var/lib/open402.db' }],
    [{ url: 'sqlite::memory:' }, { engine: 'sqlite', path: ':memory:' }],
    [
      { url: 'postgres://postgres@127.0.0.1:5432/test' },
      { engine: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:5432/test' },
    ],
    [
      { url: 'postgresql://u:p@db/x?schema=open402&sslmode=require' },
      { engine: 'postgres', connectionString: 'postgresql://u:p@db/x?sslmode=require', schema: 'open402' },
    ],
    [
      { sqlite: { path: 'x.db', busyTimeoutMs: 100 } },
      { engine: 'sqlite', path: 'x.db', busyTimeoutMs: 100 },
    ],
    [
      { postgres: { connectionString: 'postgres://db/x', schema: 'tenant_1', pool: { max: 3 } } },
      { engine: 'postgres', connectionString: 'postgres://db/x', schema: 'tenant_1', pool: { max: 3 } },
    ],
  ])('resolves %j', (config, expected) => {
    expect(resolveStorageConfig(config)).toEqual(expected)
  })

  test.each<[StorageConfig, RegExp]>([
    [{ url: 'mysql://db/x' }, /must start with sqlite: or postgres:\/\/, got mysql:/],
    [{ url: './open402.db' }, /write sqlite:\.\/open402\.db/],
    [{ url: 'sqlite:' }, /needs a file path/],
    [{ url: 'postgres://db/x?schema=Bad-Name' }, /schema "Bad-Name" is not valid/],
    [{ postgres: { connectionString: 'postgres://db/x', schema: 'x; drop table y' } }, /is not valid/],
    [{ sqlite: { path: '' } }, /sqlite.path is empty/],
  ])('refuses %j', (config, message) => {
    let error: unknown
    try {
      resolveStorageConfig(config)
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toMatch(message)
  })

  test('does not echo a password from an unsupported URL', () => {
    expect(() => resolveStorageConfig({ url: 'mysql://user:secret@db/x' })).toThrow(/^(?!.*secret)/)
  })
})
