#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { isX402Error } from '@open402/core'
import { createFacilitatorFromConfig } from './create-facilitator-from-config.js'
import { createFacilitatorLogger, redactStorageUrl } from './facilitator-logger.js'
import { createFacilitatorMetrics } from './facilitator-metrics.js'
import { CLI_USAGE, resolveCliConfig } from './resolve-cli-config.js'
import { startFacilitatorServer } from './start-facilitator-server.js'

/** `open402-facilitator`: serves the facilitator HTTP API until SIGINT or SIGTERM, then drains. */
async function main(): Promise<void> {
  const config = resolveCliConfig({
    argv: process.argv.slice(2),
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
  })
  if (config === undefined) {
    process.stdout.write(CLI_USAGE)
    return
  }
  const logger = createFacilitatorLogger({ level: config.logging.level })
  const metrics = createFacilitatorMetrics()
  // The storage URL is validated and reported; the settlement ledger that uses it is wired separately.
  const { facilitator, readiness } = await createFacilitatorFromConfig(config, { metrics })
  const { server: serverConfig, limits, auth } = config
  const server = await startFacilitatorServer({
    facilitator,
    host: serverConfig.host,
    port: serverConfig.port,
    trustProxy: serverConfig.trustProxy,
    shutdownTimeoutMs: serverConfig.shutdownTimeoutMs,
    readinessTimeoutMs: serverConfig.readinessTimeoutMs,
    maxBodyBytes: limits.maxBodyBytes,
    rateLimit: limits.rateLimit,
    auth,
    readiness,
    metrics,
    logger,
  })
  // The first stdout line is the address, for scripts and tests; log lines follow.
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
  logger.info(
    {
      url: server.url,
      networks: [...config.evm, ...config.svm].map((entry) => entry.network),
      storage: redactStorageUrl(config.storage.url),
      apiKeys: auth.apiKeys.length,
      rateLimit: limits.rateLimit ?? null,
    },
    'listening',
  )

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal, timeoutMs: serverConfig.shutdownTimeoutMs }, 'draining in-flight requests')
    server.shutdown().then(
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

main().catch((error: unknown) => {
  const message = isX402Error(error) ? error.message : error instanceof Error ? error.stack : String(error)
  process.stderr.write(`open402-facilitator: ${message}\n`)
  process.exit(1)
})
