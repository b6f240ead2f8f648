export * from './exact/client/index.js'
export * from './networks/index.js'
export type { ExactEvmPayload } from './shared/exact-evm-payload.js'
