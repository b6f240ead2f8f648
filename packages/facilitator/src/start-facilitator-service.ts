import { createMemoryIdempotencyStore, type Facilitator } from '@open402/core'
import { createFacilitatorFromConfig } from './create-facilitator-from-config.js'
import { createUsdDecimals } from './discovery/usd-assets.js'
import type { FacilitatorConfig } from './facilitator-config.js'
import type { FacilitatorLogger } from './facilitator-logger.js'
import type { FacilitatorMetrics } from './facilitator-metrics.js'
import type { FacilitatorStorage, OpenedFacilitatorStorage, SettlementLookup } from './facilitator-storage.js'
import { settlementRoutes } from './settlements-route.js'
import { type FacilitatorServer, startFacilitatorServer } from './start-facilitator-server.js'
import { type Reconciler, startReconciler } from './start-reconciler.js'

/** Options of {@link startFacilitatorService}. */
export interface FacilitatorServiceOptions {
  config: FacilitatorConfig
  /** The database of `config.storage.url` and its ledger; without it settlements are guarded in memory only. */
  storage?: OpenedFacilitatorStorage
  logger?: FacilitatorLogger
  metrics?: FacilitatorMetrics
}

/** The running service: the HTTP server, the facilitator and its reconciler. */
export interface FacilitatorService extends FacilitatorServer {
  facilitator: Facilitator
  reconciler?: Reconciler
}

/**
 * Starts the whole facilitator service from configuration: migrates the database, reconciles settlements
 * left unfinished by a previous run, serves the HTTP API with `GET /settlements/:id` and a `storage`
 * readiness check, reconciles pending settlements every `config.storage.reconcileIntervalMs`, and on
 * shutdown drains requests, stops the reconciler and closes the database.
 */
export async function startFacilitatorService(
  options: FacilitatorServiceOptions,
): Promise<FacilitatorService> {
  const { config, storage: opened, logger, metrics } = options
  if (opened) await opened.storage.migrate()
  const idempotency = config.idempotency.enabled
    ? { store: opened?.idempotency ?? createMemoryIdempotencyStore(), ttlMs: config.idempotency.ttlMs }
    : undefined
  const { facilitator, readiness } = await createFacilitatorFromConfig(config, {
    ...(metrics === undefined ? {} : { metrics }),
    ...(opened === undefined ? {} : { ledger: opened.ledger }),
    ...(idempotency === undefined ? {} : { idempotency }),
  })
  let reconciler: Reconciler | undefined
  if (opened) {
    reconciler = startReconciler(facilitator, { intervalMs: config.storage.reconcileIntervalMs, logger })
    // Whatever a previous process sent but never recorded is finished before serving.
    await reconciler.runOnce({ olderThanMs: 0 })
  }
  const { server: serverConfig, limits, auth } = config
  let server: FacilitatorServer
  try {
    server = await startFacilitatorServer({
      facilitator,
      host: serverConfig.host,
      port: serverConfig.port,
      trustProxy: serverConfig.trustProxy,
      shutdownTimeoutMs: serverConfig.shutdownTimeoutMs,
      readinessTimeoutMs: serverConfig.readinessTimeoutMs,
      maxBodyBytes: limits.maxBodyBytes,
      rateLimit: limits.rateLimit,
      auth,
      readiness: opened ? [...readiness, { name: 'storage', check: () => opened.storage.ping() }] : readiness,
      ...(opened === undefined ? {} : { routes: settlementRoutes(settlementLookup(opened.storage)) }),
      ...(opened?.storage.discovery === undefined || !config.discovery.enabled
        ? {}
        : {
            discovery: {
              catalog: opened.storage.discovery,
              usdDecimals: createUsdDecimals(config.discovery.usdAssets),
            },
          }),
      ...(metrics === undefined ? {} : { metrics }),
      ...(logger === undefined ? {} : { logger }),
    })
  } catch (error) {
    await reconciler?.stop()
    await opened?.storage.close()
    throw error
  }
  let closing: Promise<{ drained: boolean }> | undefined
  const shutdown: FacilitatorServer['shutdown'] = (shutdownOptions) => {
    closing ??= (async () => {
      const result = await server.shutdown(shutdownOptions)
      await reconciler?.stop()
      await opened?.storage.close()
      return result
    })()
    return closing
  }
  return {
    url: server.url,
    facilitator,
    ...(reconciler === undefined ? {} : { reconciler }),
    shutdown,
    close: () => shutdown().then(() => undefined),
  }
}

/** Settlements by id, with the latest refusal from the verification history when the database keeps one. */
function settlementLookup(storage: FacilitatorStorage): SettlementLookup {
  const { settlements, verifications } = storage
  return {
    get: (id) => settlements.get(id),
    ...(verifications === undefined ? {} : { lastRefusal: (id: string) => verifications.lastRefusal(id) }),
  }
}
