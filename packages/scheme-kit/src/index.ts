export * from './run-scheme-conformance.js'
export type * from './types.js'
