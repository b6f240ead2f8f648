import { parseArgs } from 'node:util'
import { X402Error } from '@open402/core'
import { type FacilitatorConfig, parseFacilitatorConfig } from './facilitator-config.js'

/** Inputs of `resolveCliConfig`; `readFile` is injected so tests need no files. */
export interface CliInputs {
  argv: string[]
  env: Record<string, string | undefined>
  readFile(path: string): string
}

/** Usage text of `open402-facilitator`. */
export const CLI_USAGE = `Usage: open402-facilitator [options]

  --config FILE            JSON configuration (see the README); the environment and flags override it
  --port N                 port to listen on (env PORT, default 4020)
  --host HOST              interface to bind (env HOST, default 127.0.0.1)
  --network ID --rpc-url URL
                           a network (eip155:* or solana:*) and its RPC endpoint; repeat the pair for several
                           (env OPEN402_EVM_NETWORKS / OPEN402_SVM_NETWORKS='[{"network":"…","rpcUrl":"http://…"}]')
  --key-file PATH          EVM private key(s), one per line (or env OPEN402_EVM_PRIVATE_KEYS, comma-separated,
                           or OPEN402_FACILITATOR_PRIVATE_KEY); keys are never taken from a flag
  --svm-key-file PATH      Solana secret key(s), base58, one per line (or env OPEN402_SVM_SECRET_KEYS)
  --api-key-file PATH      API keys accepted on /verify and /settle, one per line (or env OPEN402_API_KEYS)
  --protect-metrics        require an API key for /metrics too
  --max-body-bytes N       largest request body (env OPEN402_MAX_BODY_BYTES, default 65536)
  --rate-limit N/SECONDS   requests per client per window, e.g. 120/60 (env OPEN402_RATE_LIMIT)
  --trust-proxy            take the client address from X-Forwarded-For (only behind a proxy)
  --log-level LEVEL        fatal|error|warn|info|debug|trace|silent (env OPEN402_LOG_LEVEL, default info)
  --shutdown-timeout-ms N  how long a shutdown waits for in-flight settlements (default 30000)
  (storage: env OPEN402_STORAGE_URL=sqlite:./open402.db or postgres://…; never a flag, it may hold a password)
  --help                   print this text
`

type Json = Record<string, unknown>

/**
 * Resolves the CLI configuration: the `--config` file, then the environment, then flags, each overriding
 * the one before; secrets (keys, API keys, the storage URL) come only from the environment or files.
 * Returns `undefined` for `--help`; throws `X402Error('invalid_config')` naming the field on bad input.
 */
export function resolveCliConfig(inputs: CliInputs): FacilitatorConfig | undefined {
  const { values } = parseFlags(inputs.argv)
  if (values.help) return undefined
  const { env } = inputs
  const file = values.config === undefined ? {} : readJson(inputs, values.config)
  if (!isRecord(file)) invalid(`config file ${values.config} must hold a JSON object`)
  const section = (name: string): Json => {
    const value = file[name]
    return isRecord(value)
      ? { ...value }
      : value === undefined
        ? {}
        : invalid(`config.${name}: must be an object`)
  }
  const server = section('server')
  const limits = section('limits')
  const auth = section('auth')
  const storage = section('storage')
  const logging = section('logging')

  set(server, 'port', integer(values.port ?? env.PORT, 'port'))
  set(server, 'host', values.host ?? env.HOST)
  if (values['trust-proxy']) server.trustProxy = true
  set(server, 'shutdownTimeoutMs', integer(values['shutdown-timeout-ms'], 'shutdownTimeoutMs'))
  set(limits, 'maxBodyBytes', integer(values['max-body-bytes'] ?? env.OPEN402_MAX_BODY_BYTES, 'maxBodyBytes'))
  set(limits, 'rateLimit', rateLimit(values['rate-limit'] ?? env.OPEN402_RATE_LIMIT))
  set(logging, 'level', values['log-level'] ?? env.OPEN402_LOG_LEVEL)
  set(storage, 'url', env.OPEN402_STORAGE_URL)
  if (values['protect-metrics']) auth.protectMetrics = true
  const apiKeyFile = values['api-key-file'] ?? env.OPEN402_API_KEY_FILE
  const apiKeys = apiKeyFile === undefined ? env.OPEN402_API_KEYS : readText(inputs, apiKeyFile)
  if (apiKeys !== undefined) auth.apiKeys = splitList(apiKeys)

  const { evm, svm } = resolveNetworks(inputs, values, file)
  const evmKeys = secrets(inputs, values['key-file'] ?? env.OPEN402_EVM_KEY_FILE, [
    env.OPEN402_EVM_PRIVATE_KEYS,
    env.OPEN402_FACILITATOR_PRIVATE_KEY,
  ])
  const svmKeys = secrets(inputs, values['svm-key-file'] ?? env.OPEN402_SVM_KEY_FILE, [
    env.OPEN402_SVM_SECRET_KEYS,
  ])
  const withKeys = (entries: unknown[], field: string, keys: string[] | undefined) =>
    entries.map((entry) =>
      isRecord(entry) && entry[field] === undefined ? { ...entry, [field]: keys } : entry,
    )

  if (evm.length === 0 && svm.length === 0) {
    invalid(
      'no network configured; pass --network ID --rpc-url URL, OPEN402_EVM_NETWORKS, OPEN402_SVM_NETWORKS or --config',
    )
  }
  return parseFacilitatorConfig({
    ...file,
    server,
    limits,
    auth,
    storage,
    logging,
    evm: withKeys(evm, 'privateKeys', evmKeys),
    svm: withKeys(svm, 'secretKeys', svmKeys),
  })
}

function resolveNetworks(inputs: CliInputs, values: Flags, file: Json): { evm: unknown[]; svm: unknown[] } {
  const networks = values.network ?? []
  const rpcUrls = values['rpc-url'] ?? []
  if (networks.length !== rpcUrls.length) {
    invalid(`--network and --rpc-url come in pairs (got ${networks.length} and ${rpcUrls.length})`)
  }
  if (networks.length > 0) {
    const pairs = networks.map((network, index) => ({ network, rpcUrl: rpcUrls[index] }))
    for (const { network } of pairs) {
      if (!/^(eip155|solana):/.test(network)) {
        invalid(`--network ${network}: only eip155:* and solana:* networks are supported`)
      }
    }
    return {
      evm: pairs.filter(({ network }) => network.startsWith('eip155:')),
      svm: pairs.filter(({ network }) => network.startsWith('solana:')),
    }
  }
  const fromEnv = (name: string, fallback: unknown): unknown[] => {
    const text = inputs.env[name]
    const value = text ? parseJson(text, name) : (fallback ?? [])
    if (!Array.isArray(value))
      invalid(
        `${text ? name : `config.${name === 'OPEN402_EVM_NETWORKS' ? 'evm' : 'svm'}`} must be a JSON array of { network, rpcUrl }`,
      )
    return value
  }
  return { evm: fromEnv('OPEN402_EVM_NETWORKS', file.evm), svm: fromEnv('OPEN402_SVM_NETWORKS', file.svm) }
}

type Flags = ReturnType<typeof parseFlags>['values']

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        network: { type: 'string', multiple: true },
        'rpc-url': { type: 'string', multiple: true },
        'key-file': { type: 'string' },
        'svm-key-file': { type: 'string' },
        'api-key-file': { type: 'string' },
        'protect-metrics': { type: 'boolean' },
        'max-body-bytes': { type: 'string' },
        'rate-limit': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'log-level': { type: 'string' },
        'shutdown-timeout-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
    })
  } catch (error) {
    // parseArgs names the unknown or malformed flag (there is deliberately no flag that takes a key).
    return invalid(`${(error as Error).message}\n\n${CLI_USAGE}`)
  }
}

/** Keys from a file if one is named, else from the first set environment variable; never from a flag. */
function secrets(inputs: CliInputs, file: string | undefined, envValues: (string | undefined)[]) {
  const text =
    file === undefined
      ? envValues.find((value) => value !== undefined && value !== '')
      : readText(inputs, file)
  return text === undefined ? undefined : splitList(text)
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item.length > 0)
}

function set(target: Json, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value
}

function integer(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (value.trim() === '' || !Number.isInteger(number)) invalid(`${field} must be an integer, got "${value}"`)
  return number
}

function rateLimit(value: string | undefined): { requests: number; windowMs: number } | undefined {
  if (value === undefined) return undefined
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value.trim())
  if (!match) invalid(`rate limit must be REQUESTS/SECONDS such as 120/60, got "${value}"`)
  return { requests: Number(match[1]), windowMs: Math.round(Number(match[2]) * 1000) }
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

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): never {
  throw new X402Error('invalid_config', message)
}
