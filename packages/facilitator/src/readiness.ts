/**
 * One thing the facilitator needs to serve payments (a chain RPC, the database): `check` resolves when it is
 * reachable and usable and throws an error whose message says what is wrong otherwise.
 */
export interface ReadinessCheck {
  /** Shown in `/readyz`, e.g. `rpc eip155:8453` or `storage`. */
  name: string
  check(signal: AbortSignal): Promise<unknown>
}

/** The outcome of one check in `/readyz`. */
export type ReadinessOutcome = { ok: true; ms: number } | { ok: false; ms: number; error: string }

/** The body of `/readyz`. */
export interface ReadinessReport {
  ready: boolean
  checks: Record<string, ReadinessOutcome>
}

/**
 * Runs every check concurrently, each bounded by `timeoutMs` (its signal is aborted then); never throws.
 * @example const report = await runReadinessChecks([{ name: 'storage', check: () => storage.ping() }], 3000)
 */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async (check): Promise<[string, ReadinessOutcome]> => {
      const started = performance.now()
      const controller = new AbortController()
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort()
          reject(new Error(`no answer within ${timeoutMs} ms`))
        }, timeoutMs)
      })
      try {
        await Promise.race([Promise.resolve().then(() => check.check(controller.signal)), timeout])
        return [check.name, { ok: true, ms: elapsed(started) }]
      } catch (error) {
        return [check.name, { ok: false, ms: elapsed(started), error: describe(error) }]
      } finally {
        clearTimeout(timer)
      }
    }),
  )
  return { ready: outcomes.every(([, outcome]) => outcome.ok), checks: Object.fromEntries(outcomes) }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}

/** One bounded line: viem's `shortMessage` when there is one, never a stack. */
function describe(error: unknown): string {
  const short = (error as { shortMessage?: unknown })?.shortMessage
  const text = typeof short === 'string' ? short : error instanceof Error ? error.message : String(error)
  const line = text.split('\n')[0]?.trim() ?? ''
  return line.length > 200 ? `${line.slice(0, 197)}...` : line
}
