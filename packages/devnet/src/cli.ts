#!/usr/bin/env node
// open402-devnet [--port N] [--svm-port N] [--host 127.0.0.1] [--chains evm,svm] [--stand-in base-sepolia]
// Starts the devnet, prints its description as one line of JSON on stdout, and runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util'
import { EVM_STAND_INS, type EvmStandIn } from './constants.js'
import type { Devnet, DevnetChainKind } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'

const USAGE = `Usage: open402-devnet [--port N] [--svm-port N] [--host 127.0.0.1] [--chains evm,svm]
                      [--stand-in base-sepolia]

Starts a local EVM chain (chain id 31337) with a USD-coin-like EIP-3009 token, Multicall3 and funded
accounts, and a local Solana chain (litesvm behind JSON-RPC, presenting itself as Solana devnet) with
USDC-like SPL Token and Token-2022 mints and funded accounts; prints their description as one line of
JSON, and runs until interrupted (SIGINT/SIGTERM).

Options:
  --port N       port for the EVM JSON-RPC node (default: a free port)
  --svm-port N   port for the Solana JSON-RPC node (default: a free port)
  --host H       interface to bind (default: 127.0.0.1)
  --chains LIST  the chains to run, comma-separated: evm, svm (default: evm,svm)
  --stand-in N   run the EVM chain as a stand-in for a public testnet: base-sepolia (chain id 84532,
                 the token at Base Sepolia's USDC address with its EIP-712 domain "USDC" / "2")
  -h, --help     show this help
`

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'svm-port': { type: 'string' },
      host: { type: 'string' },
      chains: { type: 'string' },
      'stand-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help === true) {
    process.stdout.write(USAGE)
    return
  }
  const port = portOption('port', values.port)
  const svmPort = portOption('svm-port', values['svm-port'])
  const chains = chainsOption(values.chains)
  const standIn = standInOption(values['stand-in'])
  // Signals are handled from the start: one that arrives while the chains start stops them once started.
  let devnet: Devnet<DevnetChainKind> | undefined
  let stopRequested = false
  const onSignal = () => {
    if (stopRequested) return
    stopRequested = true
    if (devnet !== undefined) void stopAndExit(devnet)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  devnet = await startDevnet({ port, svmPort, chains, host: values.host ?? '127.0.0.1', standIn })
  if (stopRequested) return stopAndExit(devnet)
  process.stdout.write(`${JSON.stringify(devnet.describe())}\n`)
}

async function stopAndExit(devnet: Devnet<DevnetChainKind>): Promise<never> {
  try {
    await devnet.stop()
  } catch (error) {
    process.stderr.write(`open402-devnet: failed to stop: ${String(error)}\n`)
    process.exit(1)
  }
  process.exit(0)
}

main().catch((error: unknown) => {
  process.stderr.write(`open402-devnet: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
