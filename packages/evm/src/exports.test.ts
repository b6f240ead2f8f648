import { describe, expect, test } from 'vitest'
import * as client from './client.js'
import * as facilitator from './facilitator.js'
import * as everything from './index.js'
import * as server from './server.js'

const networks = ['EVM_NETWORKS', 'defaultEvmAsset', 'findEvmAsset', 'findEvmNetwork']

describe('public surface', () => {
  test.each([
    [
      '@open402/evm/client',
      client,
      [
        'exactEvmClient',
        'signEip2612Permit',
        'signPermit2Authorization',
        'signTransferAuthorization',
        'uptoEvmClient',
        ...networks,
      ],
    ],
    [
      '@open402/evm/server',
      server,
      ['declareEip2612GasSponsoring', 'exactEvmServer', 'uptoEvmServer', ...networks],
    ],
    [
      '@open402/evm/facilitator',
      facilitator,
      [
        'MULTICALL3_ADDRESS',
        'VALID_BEFORE_BUFFER_SECONDS',
        'exactEvmFacilitator',
        'uptoEvmFacilitator',
        ...networks,
      ],
    ],
    [
      '@open402/evm',
      everything,
      [
        'EIP1271_MAGIC_VALUE',
        'EIP2612_GAS_SPONSORING',
        'EIP2612_PERMIT_TYPES',
        'EXACT_PERMIT2_WITNESS_TYPES',
        'MULTICALL3_ADDRESS',
        'PERMIT2_ADDRESS',
        'TRANSFER_WITH_AUTHORIZATION_TYPES',
        'UPTO_PERMIT2_WITNESS_TYPES',
        'VALID_BEFORE_BUFFER_SECONDS',
        'X402_EXACT_PERMIT2_PROXY_ADDRESS',
        'X402_UPTO_PERMIT2_PROXY_ADDRESS',
        'declareEip2612GasSponsoring',
        'eip1271Abi',
        'eip3009Abi',
        'eip3009Domain',
        'exactEvmClient',
        'exactEvmFacilitator',
        'exactEvmServer',
        'isPermit2Payload',
        'parseEip2612Extension',
        'parseExactEvmPayload',
        'parsePermit2Payload',
        'permit2Domain',
        'signEip2612Permit',
        'signPermit2Authorization',
        'signTransferAuthorization',
        'transferWithAuthorizationTypedData',
        'uptoEvmClient',
        'uptoEvmFacilitator',
        'uptoEvmServer',
        'x402ExactPermit2ProxyAbi',
        'x402UptoPermit2ProxyAbi',
        ...networks,
      ],
    ],
  ])('%s exports exactly its API', (_entry, module, names) => {
    expect(Object.keys(module).sort()).toEqual([...names].sort())
  })
})
