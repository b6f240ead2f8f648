import type { PaymentRequired, SettleResponse } from '@open402/core'
import { describe, expect, test } from 'vitest'
import {
  paymentRequiredFromToolResult,
  paymentRequiredResult,
  paymentResponseFromToolResult,
} from './tool-result.js'

const required: PaymentRequired = {
  x402Version: 2,
  error: 'Payment required',
  resource: { url: 'mcp://tool/weather' },
  accepts: [
    {
      scheme: 'exact',
      network: 'eip155:84532',
      amount: '10000',
      asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
      maxTimeoutSeconds: 60,
      extra: { name: 'USDC', version: '2' },
    },
  ],
}
const other: PaymentRequired = { ...required, error: 'from text' }
const failed: SettleResponse = {
  success: false,
  errorReason: 'insufficient_funds',
  transaction: '',
  network: 'eip155:84532',
}
const wrapperText = (data: unknown) =>
  JSON.stringify({ 'x402/error': { code: 402, message: 'Payment required', data } })

describe('paymentRequiredFromToolResult', () => {
  test.each([
    ['structuredContent', { isError: true, structuredContent: required, content: [] }, required],
    [
      'structuredContent before content[0].text',
      {
        isError: true,
        structuredContent: required,
        content: [{ type: 'text', text: JSON.stringify(other) }],
      },
      required,
    ],
    [
      'the x402/error wrapper in structuredContent',
      {
        isError: true,
        structuredContent: { 'x402/error': { code: 402, message: 'm', data: required } },
        content: [],
      },
      required,
    ],
    [
      'the wrapper in content[0].text (spec)',
      { isError: true, content: [{ type: 'text', text: wrapperText(required) }] },
      required,
    ],
    [
      'a plain PaymentRequired in content[0].text (@x402/mcp)',
      { isError: true, content: [{ type: 'text', text: JSON.stringify(required) }] },
      required,
    ],
    [
      'content[0].text when structuredContent is not a PaymentRequired',
      {
        isError: true,
        structuredContent: { weather: 'sunny' },
        content: [{ type: 'text', text: JSON.stringify(other) }],
      },
      other,
    ],
    [
      'structuredContent with a failed settlement (the settlement left out)',
      { isError: true, structuredContent: { ...required, 'x402/payment-response': failed }, content: [] },
      required,
    ],
  ])('reads %s', (_name, result, expected) => {
    expect(paymentRequiredFromToolResult(result)).toEqual(expected)
  })

  test.each([
    ['a result that is not an error', { structuredContent: required, content: [] }],
    ['plain text', { isError: true, content: [{ type: 'text', text: 'the upstream service is down' }] }],
    [
      'JSON that is not a PaymentRequired',
      { isError: true, content: [{ type: 'text', text: '{"x402Version":2}' }] },
    ],
    [
      'a PaymentRequired with a malformed offer',
      { isError: true, structuredContent: { ...required, accepts: [{ scheme: 'exact' }] }, content: [] },
    ],
    [
      'a wrapper without data',
      { isError: true, content: [{ type: 'text', text: '{"x402/error":{"code":402}}' }] },
    ],
    ['nothing', undefined],
  ])('finds nothing in %s', (_name, result) => {
    expect(paymentRequiredFromToolResult(result)).toBeUndefined()
  })
})

describe('paymentRequiredResult', () => {
  test('builds the spec format: isError, structuredContent and the x402/error wrapper text', () => {
    expect(paymentRequiredResult(required, 'Payment required')).toEqual({
      isError: true,
      structuredContent: required,
      content: [{ type: 'text', text: wrapperText(required) }],
    })
  })

  test('adds a failed settlement under x402/payment-response in structuredContent only', () => {
    const result = paymentRequiredResult(required, 'Payment settlement failed', failed)
    expect(result.structuredContent).toEqual({ ...required, 'x402/payment-response': failed })
    expect(JSON.parse((result.content[0] as { text: string }).text)['x402/error'].data).toEqual(required)
    expect([paymentRequiredFromToolResult(result), paymentResponseFromToolResult(result)]).toEqual([
      required,
      failed,
    ])
  })
})

describe('paymentResponseFromToolResult', () => {
  const settled: SettleResponse = {
    success: true,
    transaction: '0xabc',
    network: 'eip155:84532',
    payer: '0x1',
  }

  test('reads _meta["x402/payment-response"] of a paid result', () => {
    expect(
      paymentResponseFromToolResult({ content: [], _meta: { 'x402/payment-response': settled } }),
    ).toEqual(settled)
  })

  test('ignores a malformed or missing response', () => {
    expect(
      paymentResponseFromToolResult({ content: [], _meta: { 'x402/payment-response': { success: 'yes' } } }),
    ).toBeUndefined()
    expect(paymentResponseFromToolResult({ content: [] })).toBeUndefined()
  })
})
