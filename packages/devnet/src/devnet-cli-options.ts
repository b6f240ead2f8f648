import { EVM_STAND_INS, type EvmStandIn } from './constants.js'
import type { DevnetChainKind } from './devnet-description.js'

/** The devnet's command-line options, for `node:util` `parseArgs` (shared by `open402-devnet` and `open402 devnet`). */
export const DEVNET_CLI_OPTIONS = {
  port: { type: 'string' },
  'svm-port': { type: 'string' },
  host: { type: 'string' },
  chains: { type: 'string' },
  'stand-in': { type: 'string' },
  'no-permit2-approval': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The help text of {@link DEVNET_CLI_OPTIONS}. */
export const DEVNET_CLI_OPTIONS_HELP = `Options:
  --port N       port for the EVM JSON-RPC node (default: a free port)
  --svm-port N   port for the Solana JSON-RPC node (default: a free port)
  --host H       interface to bind (default: 127.0.0.1)
  --chains LIST  the chains to run, comma-separated: evm, svm (default: evm,svm)
  --stand-in N   run the EVM chain as a stand-in for a public testnet: base-sepolia (chain id 84532,
                 the token at Base Sepolia's USDC address with its EIP-712 domain "USDC" / "2")
  --no-permit2-approval
                 start the payer and the others accounts without a token allowance for Permit2
                 (by default they have an unlimited one)
  -h, --help     show this help
`

/** The values `parseArgs` gives for {@link DEVNET_CLI_OPTIONS}. */
export interface DevnetCliValues {
  port?: string
  'svm-port'?: string
  host?: string
  chains?: string
  'stand-in'?: string
  'no-permit2-approval'?: boolean
}

/** What `startDevnet` gets from the command line. */
export interface DevnetCliStart {
  port: number
  svmPort: number
  host: string
  chains: DevnetChainKind[]
  standIn: EvmStandIn | undefined
  permit2Approval: boolean
}

/** Checks the parsed options; throws an `Error` naming the option and the value it refused. */
export function devnetStartOptions(values: DevnetCliValues): DevnetCliStart {
  return {
    port: portOption('port', values.port),
    svmPort: portOption('svm-port', values['svm-port']),
    host: values.host ?? '127.0.0.1',
    chains: chainsOption(values.chains),
    standIn: standInOption(values['stand-in']),
    permit2Approval: values['no-permit2-approval'] !== true,
  }
}

function portOption(name: string, value: string | undefined): number {
  const port = value === undefined ? 0 : Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--${name} must be an integer from 0 to 65535, got ${value}`)
  }
  return port
}

function chainsOption(value: string | undefined): DevnetChainKind[] {
  if (value === undefined) return ['evm', 'svm']
  const chains = value.split(',').map((chain) => chain.trim())
  const unknown = chains.filter((chain) => chain !== 'evm' && chain !== 'svm')
  if (chains.length === 0 || unknown.length > 0) {
    throw new Error(`--chains must list evm and/or svm, got ${value}`)
  }
  return [...new Set(chains as DevnetChainKind[])]
}

function standInOption(value: string | undefined): EvmStandIn | undefined {
  if (value === undefined) return undefined
  if (!Object.hasOwn(EVM_STAND_INS, value)) {
    throw new Error(`--stand-in must be one of ${Object.keys(EVM_STAND_INS).join(', ')}, got ${value}`)
  }
  return value as EvmStandIn
}
