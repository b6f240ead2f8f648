export * from './client/budget.js'
export * from './client/budget-store.js'
export * from './client/create-payment-client.js'
export * from './client/discover-resources.js'
export * from './client/metered-stream-reader.js'
export * from './client/policies.js'
export type { SignInClient } from './client/sign-in.js'
export * from './errors/assert-known-reason.js'
export * from './errors/reasons.js'
export * from './errors/x402-error.js'
export * from './extensions/bazaar-catalog-entry.js'
export * from './extensions/bazaar-declare.js'
export * from './extensions/bazaar-discovery-api.js'
export {
  BAZAAR,
  type DiscoveryExtension,
  type DiscoveryInfo,
  type DiscoveryOutput,
  type HttpBodyInput,
  type HttpQueryInput,
  type McpInput,
} from './extensions/bazaar-info.js'
export {
  JSON_SCHEMA_DRAFT_2020_12,
  type JsonSchema,
  type JsonSchemaIssue,
  type JsonSchemaLimits,
  validateJsonSchema,
} from './extensions/bazaar-json-schema.js'
export * from './extensions/bazaar-validate.js'
export {
  WELL_KNOWN_X402_PATH,
  type WellKnownDocument,
  WellKnownDocumentSchema,
  type WellKnownDynamicOffer,
  type WellKnownRoute,
} from './extensions/bazaar-well-known.js'
export * from './extensions/idempotency-store.js'
export * from './extensions/payment-identifier.js'
export * from './facilitator/create-facilitator.js'
export * from './facilitator/facilitator-ledger.js'
export { ledgerFromGuard } from './facilitator/guard-ledger.js'
export * from './facilitator/http-facilitator-client.js'
export type { HookAbort, HookFailure, LifecycleHooks } from './facilitator/lifecycle-hooks.js'
export * from './facilitator/payment-id.js'
export type { FacilitatorIdempotencyOptions } from './facilitator/payment-identifier-dedupe.js'
export type { ReconcileOptions, ReconcileReport } from './facilitator/reconcile-settlements.js'
export { LEDGER_UNAVAILABLE } from './facilitator/settle-once.js'
export * from './facilitator/settlement-guard.js'
export * from './http/payment-headers.js'
export type * from './http/types.js'
export * from './http/x402-v1.js'
export * from './money/format-atomic-units.js'
export * from './money/parse-dollars.js'
export * from './money/to-atomic-units.js'
export * from './networks/caip2.js'
export * from './networks/caip10.js'
export * from './networks/network-pattern.js'
export * from './networks/scheme-registry.js'
export * from './schemas/index.js'
export * from './schemas/v1.js'
export type * from './schemes/types.js'
export type { CorsOptions } from './server/cors.js'
export * from './server/create-http-payment-handler.js'
export * from './server/create-resource-server.js'
export type { IdempotencyOptions } from './server/idempotent-payments.js'
export { findMatchingOffer } from './server/match-offer.js'
export {
  type MeterConfig,
  type MeteredSettlement,
  type MeterUnit,
  PAYMENT_METER_HEADER,
  PAYMENT_RESPONSE_EVENT,
  type PaymentMeter,
} from './server/metered-stream.js'
export { bodyFromParsed } from './server/parsed-body.js'
export { pathVariants } from './server/path-variants.js'
export * from './server/payment-gate.js'
export type {
  AccessDecision,
  AccessHook,
  DeclareExtensionsHook,
  MatchedRoute,
} from './server/request-hooks.js'
export type * from './server/resource-server.js'
export type { ResourceServerHookContext, ResourceServerHooks } from './server/resource-server-hooks.js'
export {
  encodeSettlementOverrides,
  SETTLEMENT_OVERRIDES_HEADER,
  type SettlementOverrides,
} from './server/settlement-overrides.js'
