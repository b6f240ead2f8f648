import { describe, expect, test } from 'vitest'
import * as client from './client.js'
import * as facilitator from './facilitator.js'
import * as everything from './index.js'
import * as server from './server.js'

const networks = ['EVM_NETWORKS', 'defaultEvmAsset', 'findEvmAsset', 'findEvmNetwork']

describe('public surface', () => {
  test.each([
    ['@open402/evm/client', client, ['exactEvmClient', 'signTransferAuthorization', ...networks]],
    ['@open402/evm/server', server, ['exactEvmServer', ...networks]],
    [
      '@open402/evm/facilitator',
      facilitator,
      ['MULTICALL3_ADDRESS', 'VALID_BEFORE_BUFFER_SECONDS', 'exactEvmFacilitator', ...networks],
    ],
    [
      '@open402/evm',
      everything,
      [
        'EIP1271_MAGIC_VALUE',
        'MULTICALL3_ADDRESS',
        'TRANSFER_WITH_AUTHORIZATION_TYPES',
        'VALID_BEFORE_BUFFER_SECONDS',
        'eip1271Abi',
        'eip3009Abi',
        'eip3009Domain',
        'exactEvmClient',
        'exactEvmFacilitator',
        'exactEvmServer',
        'parseExactEvmPayload',
        'signTransferAuthorization',
        'transferWithAuthorizationTypedData',
        ...networks,
      ],
    ],
  ])('%s exports exactly its API', (_entry, module, names) => {
    expect(Object.keys(module).sort()).toEqual([...names].sort())
  })
})
