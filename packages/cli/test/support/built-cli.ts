import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

// The built binary run as a subprocess. Each test file builds its own copy (tsup cleans its output
// directory, so files sharing one would race); its workspace imports resolve to sources (the
// @open402/source condition, run by tsx), as the repository's packages are not built in tests.
export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url))

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

export interface BuiltCli {
  /** Runs `open402 …` with `input` on stdin (a pipe, so not a terminal). */
  run(args: string[], env?: Record<string, string>, input?: string): Promise<Run>
  /** The command line that runs the binary, for other launchers (a pseudo-terminal). */
  argv: string[]
}

/** Builds the package's binary into `.test-dist/<name>` with its tsup config. */
export function buildCli(name: string): BuiltCli {
  const outDir = `.test-dist/${name}`
  execFileSync('pnpm', ['exec', 'tsup', '--out-dir', outDir], { cwd: PACKAGE_DIR, stdio: 'ignore' })
  const argv = [process.execPath, '--import', 'tsx', '--conditions=@open402/source', `${outDir}/cli.js`]
  return {
    argv,
    async run(args, env = {}, input = '') {
      const child = spawn(argv[0] as string, [...argv.slice(1), ...args], {
        cwd: PACKAGE_DIR,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      child.stdin.end(input)
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
      })
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
      })
      const [code] = (await once(child, 'close')) as [number | null]
      return { code, stdout, stderr }
    },
  }
}
