#!/usr/bin/env node
// open402-devnet [--port N] [--host 127.0.0.1]
// Starts the devnet, prints its description as one line of JSON on stdout, and runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util'
import type { Devnet } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'

const USAGE = `Usage: open402-devnet [--port N] [--host 127.0.0.1]

Starts a local EVM chain (chain id 31337) with a USD-coin-like EIP-3009 token, Multicall3 and funded
accounts, prints its description as one line of JSON, and runs until interrupted (SIGINT/SIGTERM).

Options:
  --port N     port for the JSON-RPC node (default: a free port)
  --host H     interface to bind (default: 127.0.0.1)
  -h, --help   show this help
`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help === true) {
    process.stdout.write(USAGE)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got ${values.port}`)
  }
  // Signals are handled from the start: one that arrives while the chain starts stops it once started.
  let devnet: Devnet | undefined
  let stopRequested = false
  const onSignal = () => {
    if (stopRequested) return
    stopRequested = true
    if (devnet !== undefined) void stopAndExit(devnet)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  devnet = await startDevnet({ port, host: values.host ?? '127.0.0.1' })
  if (stopRequested) return stopAndExit(devnet)
  process.stdout.write(`${JSON.stringify(devnet.describe())}\n`)
}

async function stopAndExit(devnet: Devnet): Promise<never> {
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
