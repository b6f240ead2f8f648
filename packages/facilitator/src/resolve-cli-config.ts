import { parseArgs } from 'node:util'
import { X402Error } from '@open402/core'
import {
  type EvmNetworkConfig,
  type FacilitatorConfig,
  isPrivateKeyHex,
  type PrivateKeyHex,
  parseEvmNetwork,
  parseFacilitatorConfig,
} from './facilitator-config.js'

/** What the CLI runs with, resolved from flags, then the environment, then `--config`. */
export interface CliConfig {
  port: number
  host: string
  config: FacilitatorConfig
}

/** Inputs of `resolveCliConfig`; `readFile` is injected so tests need no files. */
export interface CliInputs {
  argv: string[]
  env: Record<string, string | undefined>
  readFile(path: string): string
}

/** Usage text of `open402-facilitator`. */
export const CLI_USAGE = `Usage: open402-facilitator [options]

  --port N               port to listen on (env PORT, default 4020)
  --host HOST            interface to bind (env HOST, default 127.0.0.1)
  --network ID --rpc-url URL
                         an EVM network and its RPC endpoint; repeat the pair for several
                         (env OPEN402_EVM_NETWORKS='[{"network":"eip155:31337","rpcUrl":"http://..."}]')
  --key-file PATH        file holding the facilitator private key(s), one per line
                         (or env OPEN402_FACILITATOR_PRIVATE_KEY; keys are never taken from a flag)
  --config FILE          JSON { "evm": [{ "network", "rpcUrl", "privateKeys"? }] }
  --help                 print this text
`

const DEFAULT_PORT = 4020

/**
 * Resolves the CLI configuration. Flags win over the environment, which wins over `--config`; keys come
 * from `OPEN402_FACILITATOR_PRIVATE_KEY` or `--key-file` and apply to networks that list none.
 * Returns `undefined` for `--help`; throws `X402Error('invalid_config')` on bad input.
 */
export function resolveCliConfig(inputs: CliInputs): CliConfig | undefined {
  const { values } = parseFlags(inputs.argv)
  if (values.help) return undefined
  const port = parsePort(values.port ?? inputs.env.PORT)
  const host = values.host ?? inputs.env.HOST ?? '127.0.0.1'

  const file = values.config === undefined ? { evm: [] } : readJson(inputs, values.config)
  if (!isRecord(file) || !Array.isArray(file.evm ?? []))
    invalid(`config file ${values.config} must be { "evm": [ ... ] }`)
  const fileEntries = (file.evm ?? []) as unknown[]
  const keys = resolveKeys(inputs, values['key-file'])

  const flagNetworks = values.network ?? []
  const flagRpcUrls = values['rpc-url'] ?? []
  if (flagNetworks.length !== flagRpcUrls.length) {
    invalid(`--network and --rpc-url come in pairs (got ${flagNetworks.length} and ${flagRpcUrls.length})`)
  }
  let entries: unknown[] = flagNetworks.map((network, index) => ({ network, rpcUrl: flagRpcUrls[index] }))
  if (entries.length === 0 && inputs.env.OPEN402_EVM_NETWORKS) {
    const fromEnv = parseJson(inputs.env.OPEN402_EVM_NETWORKS, 'OPEN402_EVM_NETWORKS')
    if (!Array.isArray(fromEnv)) invalid('OPEN402_EVM_NETWORKS must be a JSON array of { network, rpcUrl }')
    entries = fromEnv
  }
  if (entries.length === 0) entries = fileEntries

  const evm: EvmNetworkConfig[] = entries.map((entry, index) => {
    const withKeys =
      isRecord(entry) && entry.privateKeys === undefined ? { ...entry, privateKeys: keys } : entry
    return parseEvmNetwork(withKeys, `evm[${index}]`)
  })
  if (evm.length === 0)
    invalid('no EVM network configured; pass --network ID --rpc-url URL, OPEN402_EVM_NETWORKS or --config')

  return {
    port,
    host,
    config: parseFacilitatorConfig({ evm }),
  }
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        network: { type: 'string', multiple: true },
        'rpc-url': { type: 'string', multiple: true },
        'key-file': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean' },
      },
    })
  } catch (error) {
    // parseArgs names the unknown or malformed flag (there is deliberately no flag that takes a key).
    return invalid(`${(error as Error).message}\n\n${CLI_USAGE}`)
  }
}

function resolveKeys(inputs: CliInputs, keyFile: string | undefined): PrivateKeyHex[] {
  const source = keyFile === undefined ? 'OPEN402_FACILITATOR_PRIVATE_KEY' : `key file ${keyFile}`
  const text = keyFile === undefined ? inputs.env.OPEN402_FACILITATOR_PRIVATE_KEY : readText(inputs, keyFile)
  if (text === undefined) return []
  const keys = text.split(/[\s,]+/).filter((key) => key.length > 0)
  if (!keys.every(isPrivateKeyHex)) invalid(`${source} must hold 0x-prefixed 32-byte hex keys`)
  return keys
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    invalid(`port must be an integer 0-65535, got "${value}"`)
  return port
}

function readJson(inputs: CliInputs, path: string): unknown {
  return parseJson(readText(inputs, path), `config file ${path}`)
}

function readText(inputs: CliInputs, path: string): string {
  try {
    return inputs.readFile(path)
  } catch (error) {
    throw new X402Error('invalid_config', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    invalid(`${source} is not valid JSON`)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): never {
  throw new X402Error('invalid_config', message)
}
