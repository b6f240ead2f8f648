import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import {
  type PaymentRequired,
  PaymentRequiredSchema,
  type SettleResponse,
  SettleResponseSchema,
} from '@open402/core'
import {
  MCP_PAYMENT_ERROR_KEY,
  MCP_PAYMENT_REQUIRED_CODE,
  MCP_PAYMENT_RESPONSE_META_KEY,
} from './constants.js'

/** The `x402/error` wrapper of `content[0].text` (transports-v2/mcp.md "x402/error Wrapper Schema"). */
export interface McpPaymentError {
  code: number
  message: string
  data: PaymentRequired
}

/**
 * The tool result asking for payment (transports-v2/mcp.md "Payment Required Signaling"): `isError`,
 * `structuredContent` = the PaymentRequired (plus `x402/payment-response` when a settlement failed), and
 * `content[0].text` = the JSON of `{"x402/error":{"code":402,"message","data":PaymentRequired}}`.
 * @example return paymentRequiredResult(paymentRequired, 'Payment required')
 */
export function paymentRequiredResult(
  paymentRequired: PaymentRequired,
  message: string,
  settlement?: SettleResponse,
): CallToolResult {
  const wrapper: Record<string, McpPaymentError> = {
    [MCP_PAYMENT_ERROR_KEY]: { code: MCP_PAYMENT_REQUIRED_CODE, message, data: paymentRequired },
  }
  return {
    isError: true,
    structuredContent:
      settlement === undefined
        ? { ...paymentRequired }
        : { ...paymentRequired, [MCP_PAYMENT_RESPONSE_META_KEY]: settlement },
    content: [{ type: 'text', text: JSON.stringify(wrapper) }],
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `value` as a PaymentRequired when it looks like one (`x402Version` and `accepts`) and parses. */
export function asPaymentRequired(value: unknown): PaymentRequired | undefined {
  if (!isRecord(value) || !('x402Version' in value) || !('accepts' in value)) return undefined
  const { [MCP_PAYMENT_RESPONSE_META_KEY]: _settlement, ...rest } = value
  const parsed = PaymentRequiredSchema.safeParse(rest)
  return parsed.success ? parsed.data : undefined
}

/** A PaymentRequired itself, or the `data` of an `x402/error` wrapper around one. */
function plainOrWrapped(value: unknown): PaymentRequired | undefined {
  if (!isRecord(value)) return undefined
  const wrapper = value[MCP_PAYMENT_ERROR_KEY]
  return asPaymentRequired(value) ?? (isRecord(wrapper) ? asPaymentRequired(wrapper.data) : undefined)
}

/**
 * The PaymentRequired a tool result carries, if it asks for payment. Looked for in the order of
 * transports-v2/mcp.md: `structuredContent`, then `structuredContent["x402/error"].data`, then the JSON of
 * `content[0].text` (a plain PaymentRequired, as the official `@x402/mcp` sends, or the `x402/error`
 * wrapper, as the spec says).
 * @example const required = paymentRequiredFromToolResult(await client.callTool({ name: 'weather' }))
 */
export function paymentRequiredFromToolResult(result: unknown): PaymentRequired | undefined {
  if (!isRecord(result) || result.isError !== true) return undefined
  const fromStructured = plainOrWrapped(result.structuredContent)
  if (fromStructured) return fromStructured
  const first = Array.isArray(result.content) ? result.content[0] : undefined
  if (!isRecord(first) || first.type !== 'text' || typeof first.text !== 'string') return undefined
  try {
    return plainOrWrapped(JSON.parse(first.text))
  } catch {
    return undefined
  }
}

/**
 * The SettleResponse of a tool result: `_meta["x402/payment-response"]` of a paid result, or
 * `structuredContent["x402/payment-response"]` of a result whose settlement failed. Undefined when absent
 * or malformed.
 * @example paymentResponseFromToolResult(result)?.transaction
 */
export function paymentResponseFromToolResult(result: unknown): SettleResponse | undefined {
  if (!isRecord(result)) return undefined
  const fromMeta = isRecord(result._meta) ? result._meta[MCP_PAYMENT_RESPONSE_META_KEY] : undefined
  const fromStructured = isRecord(result.structuredContent)
    ? result.structuredContent[MCP_PAYMENT_RESPONSE_META_KEY]
    : undefined
  const parsed = SettleResponseSchema.safeParse(fromMeta ?? fromStructured)
  return parsed.success ? parsed.data : undefined
}
