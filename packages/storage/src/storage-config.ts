import { X402Error } from '@open402/core'
import { assertSchemaName } from './engines/schema-name.js'

/** Pool settings for PostgreSQL. */
export interface PostgresPoolConfig {
  max?: number
  idleTimeoutMillis?: number
  connectionTimeoutMillis?: number
}

/**
 * Where the data lives: a URL (`sqlite:/var/lib/open402.db`, `sqlite::memory:`,
 * `postgres://user@host/db?schema=open402`), or the engine spelled out.
 */
export type StorageConfig =
  | { url: string }
  | { sqlite: { path: string; busyTimeoutMs?: number } }
  | { postgres: { connectionString: string; schema?: string; pool?: PostgresPoolConfig } }

/** A {@link StorageConfig} reduced to one engine and its settings. */
export type ResolvedStorageConfig =
  | { engine: 'sqlite'; path: string; busyTimeoutMs?: number }
  | { engine: 'postgres'; connectionString: string; schema?: string; pool?: PostgresPoolConfig }

/**
 * Resolves a storage URL or object into one engine's settings; throws `X402Error('invalid_config')` for an
 * unknown scheme, an empty path or an invalid schema name. A `schema` query parameter on a PostgreSQL URL
 * selects the schema and is removed from the connection string.
 * @example resolveStorageConfig({ url: 'sqlite:./data/open402.db' }) // { engine: 'sqlite', path: './data/open402.db' }
 */
export function resolveStorageConfig(config: StorageConfig): ResolvedStorageConfig {
  if ('sqlite' in config) {
    if (!config.sqlite.path) throw new X402Error('invalid_config', 'storage sqlite.path is empty')
    return { engine: 'sqlite', ...config.sqlite }
  }
  if ('postgres' in config) {
    if (!config.postgres.connectionString) {
      throw new X402Error('invalid_config', 'storage postgres.connectionString is empty')
    }
    if (config.postgres.schema !== undefined) assertSchemaName(config.postgres.schema)
    return { engine: 'postgres', ...config.postgres }
  }
  return resolveStorageUrl(config.url)
}

function resolveStorageUrl(url: string): ResolvedStorageConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : url.slice('sqlite:'.length)
    if (!path) throw new X402Error('invalid_config', 'storage url sqlite: needs a file path or :memory:')
    return { engine: 'sqlite', path }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new X402Error('invalid_config', 'storage url is not a valid postgres:// URL')
    }
    const schema = parsed.searchParams.get('schema') ?? undefined
    if (schema === undefined) return { engine: 'postgres', connectionString: url }
    assertSchemaName(schema)
    parsed.searchParams.delete('schema')
    return { engine: 'postgres', connectionString: parsed.toString(), schema }
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'a bare path'
  throw new X402Error(
    'invalid_config',
    `storage url must start with sqlite: or postgres://, got ${scheme} (for a file, write sqlite:${scheme === 'a bare path' ? url : '/path/file.db'})`,
  )
}
