import { describe, expect, test } from 'vitest'
import * as client from './client.js'
import * as facilitator from './facilitator.js'
import * as everything from './index.js'
import * as server from './server.js'

const networks = ['SVM_NETWORKS', 'defaultSvmAsset', 'findSvmAsset', 'findSvmNetwork']
const clientApi = [
  'DEFAULT_COMPUTE_UNIT_LIMIT',
  'DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS',
  'exactSvmClient',
  'paymentInstructions',
  'signPaymentTransaction',
]

describe('public surface', () => {
  test.each([
    ['@open402/svm/client', client, [...clientApi, ...networks]],
    ['@open402/svm/server', server, ['exactSvmServer', ...networks]],
    ['@open402/svm/facilitator', facilitator, ['exactSvmFacilitator', ...networks]],
    [
      '@open402/svm',
      everything,
      [
        ...clientApi,
        'COMPUTE_BUDGET_PROGRAM',
        'LIGHTHOUSE_PROGRAM',
        'MAX_COMPUTE_UNIT_LIMIT',
        'MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS',
        'MAX_MEMO_BYTES',
        'MEMO_PROGRAM',
        'SET_COMPUTE_UNIT_LIMIT_DISCRIMINATOR',
        'SET_COMPUTE_UNIT_PRICE_DISCRIMINATOR',
        'TOKEN_2022_PROGRAM',
        'TOKEN_PROGRAM',
        'TRANSFER_CHECKED_DISCRIMINATOR',
        'decodePaymentTransaction',
        'exactSvmFacilitator',
        'exactSvmServer',
        'isTokenProgram',
        'parseExactSvmPayload',
        ...networks,
      ],
    ],
  ])('%s exports exactly its API', (_entry, module, names) => {
    expect(Object.keys(module).sort()).toEqual([...names].sort())
  })
})
