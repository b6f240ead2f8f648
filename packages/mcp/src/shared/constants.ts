/** Where a client puts its `PaymentPayload` in a `tools/call` request: `params._meta["x402/payment"]` (transports-v2/mcp.md). */
export const MCP_PAYMENT_META_KEY = 'x402/payment'

/** Where a server puts its `SettleResponse`: the tool result's `_meta["x402/payment-response"]` (transports-v2/mcp.md). */
export const MCP_PAYMENT_RESPONSE_META_KEY = 'x402/payment-response'

/** The `code` of the `x402/error` wrapper of a payment-required tool result (transports-v2/mcp.md). */
export const MCP_PAYMENT_REQUIRED_CODE = 402

/** The key of the wrapper in `content[0].text`: `{"x402/error":{"code":402,"message":…,"data":PaymentRequired}}`. */
export const MCP_PAYMENT_ERROR_KEY = 'x402/error'

/**
 * The tool result `_meta` key an open402 server sets when it could not process a payment (facilitator
 * unreachable, a lifecycle hook failed): the tool did not run, or ran and its output was withheld, and
 * whether money moved is unknown. An open402 addition, not in the x402 spec.
 */
export const MCP_PAYMENT_UNAVAILABLE_META_KEY = 'open402/payment-unavailable'

/**
 * JSON-RPC error codes some servers use for "payment required" instead of a tool result (SEP-1036 and
 * early implementations); clients accept them leniently when the error's `data` is a PaymentRequired.
 */
export const MCP_PAYMENT_REQUIRED_ERROR_CODES: readonly number[] = [402, -402, -32042, -32402]

/**
 * The resource URL of a tool, `mcp://tool/<name>` (the convention of transports-v2/mcp.md).
 * @example toolResourceUrl('weather') // 'mcp://tool/weather'
 */
export function toolResourceUrl(name: string): string {
  return `mcp://tool/${encodeURIComponent(name)}`
}
