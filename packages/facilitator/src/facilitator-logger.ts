import pino from 'pino'

/** What the facilitator logs through: pino's `(object, message)` calls, so a pino logger fits as is. */
export interface FacilitatorLogger {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
}

/** Options of {@link createFacilitatorLogger}. */
export interface FacilitatorLoggerOptions {
  /** Lowest level written; default `info`. */
  level?: pino.Level | 'silent'
  /** Where the JSON lines go: `stdout` (the default), `stderr` or a stream (tests capture lines this way). */
  destination?: pino.DestinationStream | 'stdout' | 'stderr'
}

/**
 * Paths pino censors wherever they appear, as a second line of defence: the service never logs keys,
 * API keys, authorization headers or payment signatures in the first place.
 */
export const REDACTED_PATHS = [
  'privateKeys',
  'secretKeys',
  'apiKeys',
  '*.privateKeys',
  '*.secretKeys',
  '*.apiKeys',
  'authorization',
  '*.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'signature',
  '*.signature',
  'paymentPayload',
  '*.paymentPayload',
]

/**
 * A pino logger writing one JSON object per line, with keys and signatures redacted.
 * @example const logger = createFacilitatorLogger({ level: 'info' })
 */
export function createFacilitatorLogger(options: FacilitatorLoggerOptions = {}): FacilitatorLogger {
  return pino(
    {
      name: 'open402-facilitator',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    typeof options.destination === 'object'
      ? options.destination
      : pino.destination({ dest: options.destination === 'stderr' ? 2 : 1, sync: true }),
  )
}

/** Hides the password of a storage URL (`postgres://user:***@host/db`) so it can be logged. */
export function redactStorageUrl(url: string): string {
  if (!URL.canParse(url) || url.startsWith('sqlite:')) return url
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
