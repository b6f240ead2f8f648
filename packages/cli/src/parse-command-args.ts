import { type ParseArgsConfig, parseArgs } from 'node:util'
import { usageError } from './cli-error.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** `parseArgs` of node:util, strict, with its errors turned into usage errors naming the command. */
type Config<T extends Options> = { args: string[]; options: T; strict: true; allowPositionals: true }

export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<Config<T>>> {
  try {
    return parseArgs<Config<T>>({ args: argv, options, strict: true, allowPositionals: true })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw usageError(`${message} (see open402 ${command} --help)`)
  }
}

/** The value of a `<key>=<value>` option, e.g. `eip155:31337=http://127.0.0.1:8545`. */
export function splitPair(option: string, value: string): [string, string] {
  const at = value.indexOf('=')
  if (at <= 0 || at === value.length - 1)
    throw usageError(`--${option} takes <network>=<value>, got ${value}`)
  return [value.slice(0, at), value.slice(at + 1)]
}
