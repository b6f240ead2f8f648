export { type ExactSvmFacilitatorOptions, exactSvmFacilitator } from './exact-svm-facilitator.js'
export type { ExactSvmNetworkConfig } from './network-runtime.js'
