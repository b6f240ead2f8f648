export * from './solana/solana-siwx-signer.js'
export * from './solana/solana-siwx-verifier.js'
