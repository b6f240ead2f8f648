import {
  DEVNET_CLI_OPTIONS,
  DEVNET_CLI_OPTIONS_HELP,
  type Devnet,
  type DevnetChainKind,
  devnetStartOptions,
  startDevnet,
} from '@open402/devnet'
import { usageError } from './cli-error.js'
import type { Io } from './io.js'
import { parseCommandArgs } from './parse-command-args.js'

export const DEVNET_USAGE = `Usage: open402 devnet [--port N] [--svm-port N] [--host H] [--chains evm,svm] [--stand-in base-sepolia]
                      [--no-permit2-approval]

Starts the local chains of @open402/devnet: an EVM chain (chain id 31337, a USD-coin-like EIP-3009 token,
funded accounts) and a Solana chain (USDC-like mints, funded accounts); prints their description (RPC
URLs, token, accounts and their test keys) as one line of JSON on stdout, and runs until SIGINT/SIGTERM.

${DEVNET_CLI_OPTIONS_HELP}`

/** Runs the devnet until a signal; resolves with the exit code once the chains are stopped. */
export async function devnetCommand(argv: string[], io: Io): Promise<number | never> {
  const { values, positionals } = parseCommandArgs('devnet', argv, DEVNET_CLI_OPTIONS)
  if (values.help) {
    io.stdout(DEVNET_USAGE)
    return 0
  }
  if (positionals.length > 0) throw usageError(`devnet takes no arguments, got ${positionals.join(' ')}`)
  let options: ReturnType<typeof devnetStartOptions>
  try {
    options = devnetStartOptions(values)
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error))
  }
  // Listen from the start: a signal that arrives while the chains start stops them once they are up.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  io.progress(`starting the devnet (${options.chains.join(', ')})…`)
  const devnet: Devnet<DevnetChainKind> = await startDevnet(options)
  io.stdout(`${JSON.stringify(devnet.describe())}\n`)
  io.progress('devnet running; Ctrl-C to stop')
  const signal = await signalled
  io.progress(`${signal}: stopping the devnet…`)
  await devnet.stop()
  io.progress('devnet stopped')
  // Exit now: nothing is left to do, whatever handle the chains' clients may keep open.
  process.exit(0)
}
