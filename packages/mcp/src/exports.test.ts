import { expect, test } from 'vitest'
import * as root from './index.js'

// Any change to the public runtime surface shows up here in review.
test('the public runtime surface of @open402/mcp', () => {
  expect(Object.keys(root).sort()).toEqual([
    'MCP_PAYMENT_ERROR_KEY',
    'MCP_PAYMENT_META_KEY',
    'MCP_PAYMENT_REQUIRED_CODE',
    'MCP_PAYMENT_REQUIRED_ERROR_CODES',
    'MCP_PAYMENT_RESPONSE_META_KEY',
    'MCP_PAYMENT_UNAVAILABLE_META_KEY',
    'asPaymentRequired',
    'paidTool',
    'paymentRequiredFromToolResult',
    'paymentRequiredResult',
    'paymentResponseFromToolResult',
    'registerPaidTool',
    'toolResourceUrl',
    'withPayments',
  ])
})
