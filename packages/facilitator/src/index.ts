export type { ConfiguredChain, SignerBalance, SignerSettleHook } from './chains/configured-chain.js'
export { createEvmRpcTransport } from './chains/evm-rpc-transport.js'
export type { RpcRetryOptions } from './chains/rpc-retry.js'
export { createSvmRpc } from './chains/svm-rpc.js'
export * from './create-facilitator-app.js'
export * from './create-facilitator-from-config.js'
export type * from './discovery/discovery-store.js'
export { createUsdDecimals, type UsdAsset, type UsdDecimals, usdAmountOf } from './discovery/usd-assets.js'
export * from './facilitator-config.js'
export {
  createFacilitatorLogger,
  type FacilitatorLogger,
  type FacilitatorLoggerOptions,
  redactStorageUrl,
} from './facilitator-logger.js'
export * from './facilitator-metrics.js'
export type * from './facilitator-storage.js'
export { type ApiKeyAuthOptions, apiKeyAuth } from './http/api-key-auth.js'
export * from './http/drain.js'
export type { FacilitatorEnv } from './http/facilitator-env.js'
export * from './http/rate-limiter.js'
export * from './parse-facilitator-request.js'
export * from './readiness.js'
export * from './resolve-cli-config.js'
export * from './run-facilitator-cli.js'
export * from './settlements-route.js'
export * from './start-facilitator-server.js'
export * from './start-facilitator-service.js'
export * from './start-reconciler.js'
