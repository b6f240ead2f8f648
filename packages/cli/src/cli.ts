#!/usr/bin/env node
import { isX402Error } from '@open402/core'
import { CliError } from './cli-error.js'
import { type Io, processIo } from './io.js'

const USAGE = `Usage: open402 <command> [options]

Commands:
  pay <url>               fetch a paid URL: show the price, ask, pay, print the content and the receipt
  inspect <url|header>    decode and explain a 402 (offers, networks, prices) or a PAYMENT-* header
  discover <facilitator>  search a facilitator's catalog of paid resources
  devnet                  start the local EVM and Solana chains and print their description
  facilitator             run the facilitator service

Run open402 <command> --help for a command's options. Most commands take --json for machines.
`

type Command = (argv: string[], io: Io) => Promise<number | 'running'>

// Each command is loaded when run: the chains' libraries behind `pay` or `facilitator` are not loaded for `inspect`.
const COMMANDS: Record<string, () => Promise<Command>> = {
  pay: async () => (await import('./pay-command.js')).payCommand,
  inspect: async () => (await import('./inspect-command.js')).inspectCommand,
  discover: async () => (await import('./discover-command.js')).discoverCommand,
  devnet: async () => (await import('./devnet-command.js')).devnetCommand,
  facilitator: async () => (await import('./facilitator-command.js')).facilitatorCommand,
}

async function main(argv: string[]): Promise<void> {
  const io = processIo()
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE)
    process.exitCode = name === undefined ? 2 : 0
    return
  }
  const load = COMMANDS[name]
  if (load === undefined) {
    io.stderr(`open402: unknown command ${name}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  const json = rest.includes('--json')
  try {
    const code = await (await load())(rest, io)
    if (code !== 'running') process.exitCode = code
  } catch (error) {
    const code = error instanceof CliError ? error.exitCode : 1
    const message =
      error instanceof CliError || isX402Error(error)
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error)
    const reason = isX402Error(error) ? error.code : undefined
    if (json) io.stdout(`${JSON.stringify({ error: { message, ...(reason ? { code: reason } : {}) } })}\n`)
    io.stderr(`open402 ${name}: ${message}\n`)
    process.exitCode = code
  }
}

await main(process.argv.slice(2))
