/** An error the command line reports as one line on stderr, exiting with `exitCode` (2: bad usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** A usage error: a bad or missing argument (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2)
}
