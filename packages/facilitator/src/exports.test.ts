import { expect, test } from 'vitest'
import * as facilitator from './index.js'

test('@open402/facilitator exports the app, the server, config, operations helpers and the CLI resolver', () => {
  expect(Object.keys(facilitator).sort()).toEqual([
    'CLI_USAGE',
    'DEFAULT_MAX_BODY_BYTES',
    'FacilitatorConfigSchema',
    'apiKeyAuth',
    'createDrain',
    'createEvmRpcTransport',
    'createFacilitatorApp',
    'createFacilitatorFromConfig',
    'createFacilitatorLogger',
    'createFacilitatorMetrics',
    'createRateLimiter',
    'createSvmRpc',
    'createUsdDecimals',
    'isPrivateKeyHex',
    'isSvmSecretKey',
    'mainFacilitatorCli',
    'openFacilitatorStorage',
    'parseFacilitatorConfig',
    'parseFacilitatorRequest',
    'redactStorageUrl',
    'resolveCliConfig',
    'runFacilitatorCli',
    'runReadinessChecks',
    'settlementRoutes',
    'startFacilitatorServer',
    'startFacilitatorService',
    'startReconciler',
    'usdAmountOf',
  ])
})
