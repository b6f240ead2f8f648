import { X402Error } from '@open402/core'

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Checks a PostgreSQL schema name: lower-case letters, digits and underscores, at most 63 characters. The
 * name goes into the connection's `search_path` option, so nothing that needs quoting is accepted.
 */
export function assertSchemaName(name: string): void {
  if (!SCHEMA_NAME.test(name)) {
    throw new X402Error(
      'invalid_config',
      `PostgreSQL schema "${name}" is not valid; use lower-case letters, digits and underscores (at most 63)`,
    )
  }
}
