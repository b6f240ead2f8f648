import { isCaip2, X402Error } from '@open402/core'

/** A private key as 0x-prefixed 32-byte hex. */
export type PrivateKeyHex = `0x${string}`

/** One EVM network the facilitator settles on. */
export interface EvmNetworkConfig {
  /** CAIP-2 id, e.g. `eip155:8453`. */
  network: `eip155:${string}`
  /** JSON-RPC endpoint of that chain. */
  rpcUrl: string
  /** Keys of the accounts that submit settlements (one is enough; more spread the nonce load). */
  privateKeys: PrivateKeyHex[]
}

/** Configuration of a facilitator service, as read from a JSON file, flags and the environment. */
export interface FacilitatorConfig {
  evm: EvmNetworkConfig[]
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

/** Whether `value` is a 0x-prefixed 32-byte hex private key. */
export function isPrivateKeyHex(value: unknown): value is PrivateKeyHex {
  return typeof value === 'string' && PRIVATE_KEY.test(value)
}

/**
 * Validates a facilitator configuration object (e.g. parsed from `--config file.json`); throws
 * `X402Error('invalid_config')` naming the offending field, and never echoes a key.
 */
export function parseFacilitatorConfig(value: unknown): FacilitatorConfig {
  if (!isRecord(value)) fail('(config)', 'must be an object like { "evm": [ ... ] }')
  const evm = value.evm ?? []
  if (!Array.isArray(evm)) fail('evm', 'must be an array of { network, rpcUrl, privateKeys }')
  return { evm: evm.map((entry, index) => parseEvmNetwork(entry, `evm[${index}]`)) }
}

/** Validates one `{ network, rpcUrl, privateKeys }` entry. */
export function parseEvmNetwork(value: unknown, path: string): EvmNetworkConfig {
  if (!isRecord(value)) fail(path, 'must be an object { network, rpcUrl, privateKeys }')
  const { network, rpcUrl, privateKeys } = value
  if (typeof network !== 'string' || !isCaip2(network) || !network.startsWith('eip155:')) {
    fail(`${path}.network`, 'must be an EVM CAIP-2 id such as eip155:8453')
  }
  if (typeof rpcUrl !== 'string' || !URL.canParse(rpcUrl) || !/^(https?|wss?):/.test(rpcUrl)) {
    fail(`${path}.rpcUrl`, 'must be an http(s) or ws(s) URL')
  }
  if (!Array.isArray(privateKeys) || privateKeys.length === 0) {
    fail(
      `${path}.privateKeys`,
      'must list at least one key (set OPEN402_FACILITATOR_PRIVATE_KEY or --key-file)',
    )
  }
  privateKeys.forEach((key, index) => {
    if (!isPrivateKeyHex(key)) fail(`${path}.privateKeys[${index}]`, 'must be 0x followed by 64 hex digits')
  })
  return { network: network as `eip155:${string}`, rpcUrl, privateKeys: privateKeys as PrivateKeyHex[] }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(path: string, problem: string): never {
  throw new X402Error('invalid_config', `facilitator config ${path} ${problem}`)
}
