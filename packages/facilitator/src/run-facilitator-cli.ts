import { isX402Error } from '@open402/core'
import { createFacilitatorLogger, redactStorageUrl } from './facilitator-logger.js'
import { createFacilitatorMetrics } from './facilitator-metrics.js'
import type { OpenedFacilitatorStorage } from './facilitator-storage.js'
import { CLI_USAGE, type CliInputs, resolveCliConfig } from './resolve-cli-config.js'
import { startFacilitatorService } from './start-facilitator-service.js'

/** What the CLI needs besides its arguments: how to open `config.storage.url`. */
export interface FacilitatorCliOptions extends CliInputs {
  /** Opens the database and its ledger (`openStorage` + `createStorageSettlementLedger`). */
  openStorage?: (url: string) => OpenedFacilitatorStorage
}

/** `open402-facilitator`: serves the facilitator HTTP API until SIGINT or SIGTERM, then drains. */
export async function runFacilitatorCli(options: FacilitatorCliOptions): Promise<void> {
  const config = resolveCliConfig(options)
  if (config === undefined) {
    process.stdout.write(CLI_USAGE)
    return
  }
  const logger = createFacilitatorLogger({ level: config.logging.level })
  const metrics = createFacilitatorMetrics()
  const storage = options.openStorage?.(config.storage.url)
  const service = await startFacilitatorService({ config, logger, metrics, ...(storage ? { storage } : {}) })
  // The first stdout line is the address, for scripts and tests; log lines follow.
  process.stdout.write(`${JSON.stringify({ url: service.url })}\n`)
  logger.info(
    {
      url: service.url,
      networks: [...config.evm, ...config.svm].map((entry) => entry.network),
      storage: storage ? redactStorageUrl(config.storage.url) : 'memory (no storage module)',
      apiKeys: config.auth.apiKeys.length,
      rateLimit: config.limits.rateLimit ?? null,
    },
    'listening',
  )

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal, timeoutMs: config.server.shutdownTimeoutMs }, 'draining in-flight requests')
    service.shutdown().then(
      ({ drained }) => {
        logger.info({ drained }, 'closed')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'close failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** Runs the CLI and exits with a one-line message on a startup error. */
export function mainFacilitatorCli(options: FacilitatorCliOptions): void {
  runFacilitatorCli(options).catch((error: unknown) => {
    const message = isX402Error(error) ? error.message : error instanceof Error ? error.stack : String(error)
    process.stderr.write(`open402-facilitator: ${message}\n`)
    process.exit(1)
  })
}
