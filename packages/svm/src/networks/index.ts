export { defaultSvmAsset, findSvmAsset } from './resolve-asset.js'
export type { SvmAsset, SvmAssets } from './svm-asset.js'
export { findSvmNetwork, SVM_NETWORKS, type SvmNetwork } from './svm-networks.js'
