import { expect, test } from 'vitest'
import * as root from './index.js'

// Any change to the public runtime surface shows up here in review.
test('the public runtime surface of @open402/a2a', () => {
  expect(Object.keys(root).sort()).toEqual([
    'AGENT_CARD_PATH',
    'EXTENSIONS_HEADER',
    'JSON_RPC_ERRORS',
    'JsonRpcError',
    'PAYMENT_ERROR_CODES',
    'X402_EXTENSION_LEGACY_URIS',
    'X402_EXTENSION_URI',
    'X402_METADATA',
    'X402_PAYMENT_STATUS',
    'activatedX402Uri',
    'createMemoryTaskStore',
    'createPaidAgent',
    'createPayingAgentClient',
    'paymentErrorCode',
  ])
})
