import { readFileSync } from 'node:fs'
import { CLI_USAGE, openFacilitatorStorage, runFacilitatorCli } from '@open402/facilitator'
import type { Io } from './io.js'

export const FACILITATOR_USAGE = `${CLI_USAGE.replace('Usage: open402-facilitator', 'Usage: open402 facilitator')}
The first line on stdout is {"url": …}; log lines (JSON) follow.
`

/**
 * Runs the facilitator service of @open402/facilitator with its own option parsing; it serves until
 * SIGINT/SIGTERM and exits the process itself. Resolves once it is listening (or printed its help).
 */
export async function facilitatorCommand(argv: string[], io: Io): Promise<number | 'running'> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(FACILITATOR_USAGE)
    return 0
  }
  await runFacilitatorCli({
    argv,
    env: io.env,
    readFile: (path) => readFileSync(path, 'utf8'),
    openStorage: openFacilitatorStorage,
  })
  return 'running'
}
