#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { isX402Error } from '@open402/core'
import { createEvmFacilitatorFromConfig } from './create-evm-facilitator.js'
import { CLI_USAGE, resolveCliConfig } from './resolve-cli-config.js'
import { startFacilitatorServer } from './start-facilitator-server.js'

/** `open402-facilitator`: serves the facilitator HTTP API until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const resolved = resolveCliConfig({
    argv: process.argv.slice(2),
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
  })
  if (resolved === undefined) {
    process.stdout.write(CLI_USAGE)
    return
  }
  const facilitator = createEvmFacilitatorFromConfig(resolved.config)
  const server = await startFacilitatorServer({ facilitator, port: resolved.port, host: resolved.host })
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`open402-facilitator: ${signal} received, closing\n`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`open402-facilitator: close failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const message = isX402Error(error) ? error.message : error instanceof Error ? error.stack : String(error)
  process.stderr.write(`open402-facilitator: ${message}\n`)
  process.exit(1)
})
