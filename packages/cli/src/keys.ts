import { readFileSync } from 'node:fs'
import { CliError, usageError } from './cli-error.js'

/**
 * A secret from an environment variable or a file named by a flag, never from a flag's value: a key typed on
 * the command line stays in the shell history and shows in the process list.
 */
export function readSecret(options: {
  env: Record<string, string | undefined>
  variable: string
  file: string | undefined
  fileFlag: string
}): string | undefined {
  const { file, fileFlag } = options
  if (file !== undefined) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      const looksLikeKey = /^(0x)?[0-9a-fA-F]{64}$/.test(file) || /^[1-9A-HJ-NP-Za-km-z]{80,90}$/.test(file)
      if (looksLikeKey) throw refusedFlagKey(fileFlag, options.variable, fileFlag)
      const reason = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new CliError(`--${fileFlag} ${file}: cannot read the file (${reason})`)
    }
    const key = text.trim()
    if (key === '') throw new CliError(`--${fileFlag} ${file}: the file is empty`)
    return key
  }
  const value = options.env[options.variable]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** The error for a key given as a flag's value. */
export function refusedFlagKey(flag: string, variable: string, fileFlag: string): CliError {
  const what = flag === fileFlag ? `--${flag} takes a file, not a key` : `--${flag} is refused`
  return usageError(
    `${what}: keys are never read from a flag's value (it would stay in the shell history and the process list); set ${variable} or put the key in a file and pass --${fileFlag} <path>`,
  )
}
