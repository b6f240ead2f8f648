import { createFacilitatorLogger, type FacilitatorLogger } from '../src/facilitator-logger.js'

/** A real pino logger (with the service's redaction) whose JSON lines are kept in memory for assertions. */
export function captureLogs(): {
  logger: FacilitatorLogger
  lines: Record<string, unknown>[]
  text: () => string
} {
  const raw: string[] = []
  const logger = createFacilitatorLogger({
    level: 'info',
    destination: {
      write(line: string) {
        raw.push(line)
      },
    },
  })
  return {
    logger,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>)
    },
    text: () => raw.join(''),
  }
}
