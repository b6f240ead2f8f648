#!/usr/bin/env node
// open402-devnet [--port N] [--svm-port N] [--host 127.0.0.1] [--chains evm,svm] [--stand-in base-sepolia]
//                [--no-permit2-approval]
// Starts the devnet, prints its description as one line of JSON on stdout, and runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util'
import { DEVNET_CLI_OPTIONS, DEVNET_CLI_OPTIONS_HELP, devnetStartOptions } from './devnet-cli-options.js'
import type { Devnet, DevnetChainKind } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'

const USAGE = `Usage: open402-devnet [--port N] [--svm-port N] [--host 127.0.0.1] [--chains evm,svm]
                      [--stand-in base-sepolia] [--no-permit2-approval]

Starts a local EVM chain (chain id 31337) with a USD-coin-like EIP-3009 token, Multicall3, Permit2, the
x402 exact and upto Permit2 proxies and funded accounts, and a local Solana chain (litesvm behind
JSON-RPC, presenting itself as Solana devnet) with USDC-like SPL Token and Token-2022 mints and funded
accounts; prints their description as one line of JSON, and runs until interrupted (SIGINT/SIGTERM).

${DEVNET_CLI_OPTIONS_HELP}`

async function main(): Promise<void> {
  const { values } = parseArgs({ options: DEVNET_CLI_OPTIONS, strict: true, allowPositionals: false })
  if (values.help === true) {
    process.stdout.write(USAGE)
    return
  }
  const start = devnetStartOptions(values)
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

  devnet = await startDevnet(start)
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
