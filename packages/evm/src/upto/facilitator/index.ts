export { type UptoEvmFacilitatorOptions, uptoEvmFacilitator } from './upto-evm-facilitator.js'
