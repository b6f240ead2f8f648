export * from './evm/evm-siwx-signer.js'
export * from './evm/evm-siwx-verifier.js'
