export { VALID_BEFORE_BUFFER_SECONDS } from './check-payment.js'
export {
  type ExactEvmFacilitatorOptions,
  type ExactEvmFacilitatorSigner,
  exactEvmFacilitator,
} from './exact-evm-facilitator.js'
export { type ExactEvmNetworkConfig, MULTICALL3_ADDRESS } from './network-runtime.js'
