import { expect, test } from 'vitest'
import * as evm from './evm.js'
import * as root from './index.js'
import * as solana from './solana.js'

// Any change to the public runtime surface shows up here in review.
test('the public runtime surface of @open402/siwx', () => {
  expect(Object.keys(root).sort()).toEqual([
    'DEFAULT_CHALLENGE_TTL_MS',
    'DEFAULT_CLOCK_SKEW_MS',
    'MAX_SIWX_HEADER_LENGTH',
    'SIGN_IN_WITH_X',
    'SIGN_IN_WITH_X_HEADER',
    'SIWX_PROOF_SCHEMA',
    'createEntitlementStore',
    'createMemoryPaymentMemory',
    'createMemorySiwxStorage',
    'createNonceStore',
    'createSiwxChallenge',
    'decodeSiwxHeader',
    'encodeSiwxHeader',
    'formatSiwxMessage',
    'siwx',
    'siwxClient',
    'verifySiwx',
  ])
  expect(Object.keys(evm).sort()).toEqual(['evmSiwxSigner', 'evmSiwxVerifier'])
  expect(Object.keys(solana).sort()).toEqual(['solanaSiwxSigner', 'solanaSiwxVerifier'])
})
