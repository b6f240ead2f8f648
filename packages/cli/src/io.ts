import { createInterface } from 'node:readline/promises'

/** What the commands use of the process: output streams, the environment, fetch and the terminal. */
export interface Io {
  stdout(text: string | Uint8Array): void
  stderr(text: string): void
  /** A line of progress or explanation, on stderr (stdout holds the content or the JSON). */
  progress(line: string): void
  env: Record<string, string | undefined>
  fetch: typeof fetch
  /** Whether stdin is a terminal a question can be asked on. */
  interactive: boolean
  /** Asks a yes/no question on the terminal; true for y/yes. */
  confirm(question: string): Promise<boolean>
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    progress: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    fetch: globalThis.fetch,
    interactive: process.stdin.isTTY === true,
    confirm: async (question) => {
      const readline = createInterface({ input: process.stdin, output: process.stderr })
      try {
        const answer = await readline.question(`${question} [y/N] `)
        return /^y(es)?$/i.test(answer.trim())
      } finally {
        readline.close()
      }
    },
  }
}
