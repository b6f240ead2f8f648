export * from './exact/client/index.js'
export * from './networks/index.js'
export type { ExactSvmPayload } from './shared/exact-svm-payload.js'
