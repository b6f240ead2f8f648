export type { EvmAsset, EvmAssets } from './evm-asset.js'
export { EVM_NETWORKS, type EvmNetwork, findEvmNetwork } from './evm-networks.js'
export { defaultEvmAsset, findEvmAsset } from './resolve-asset.js'
