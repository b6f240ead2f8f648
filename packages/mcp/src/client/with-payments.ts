import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js'
import {
  type CallToolRequest,
  type CallToolResult,
  CallToolResultSchema,
} from '@modelcontextprotocol/sdk/types.js'
import {
  type PaymentClient,
  type PaymentRequired,
  type PaymentRequirements,
  type SettleResponse,
  X402Error,
} from '@open402/core'
import {
  MCP_PAYMENT_ERROR_KEY,
  MCP_PAYMENT_META_KEY,
  MCP_PAYMENT_REQUIRED_ERROR_CODES,
  MCP_PAYMENT_UNAVAILABLE_META_KEY,
} from '../shared/constants.js'
import {
  asPaymentRequired,
  paymentRequiredFromToolResult,
  paymentResponseFromToolResult,
} from '../shared/tool-result.js'

/** The tool call a payment is confirmed for. */
export interface ToolPaymentContext {
  name: string
  arguments: Record<string, unknown> | undefined
  paymentRequired: PaymentRequired
}

/** Options of {@link withPayments}. */
export interface WithPaymentsOptions {
  /** Chooses and signs the payment, applying its policies, budgets and own `confirm`. */
  client: PaymentClient
  /** Asked with the chosen offer before anything is signed; `false` refuses the payment. */
  confirm?: (offer: PaymentRequirements, call: ToolPaymentContext) => boolean | Promise<boolean>
  /**
   * The URL policies see (per-host budgets key on its host); default the PaymentRequired's `resource.url`
   * (`mcp://tool/<name>`, whose host is `tool` for every server). Give the server's URL to budget per server.
   */
  url?: string
}

/** What a tool call answered, with the settlement when it was paid for. */
export interface PaidToolResult {
  result: CallToolResult
  /** The server's `x402/payment-response`, when the call was paid. */
  payment?: SettleResponse
}

/** Details of an `X402Error('payment_failed')` thrown by {@link PayingMcpClient.callTool}, in its `cause`. */
export interface ToolPaymentFailure {
  /** The reason code the server gave (e.g. `invalid_exact_evm_payload_signature`, `insufficient_funds`). */
  reason: string
  /** The terms the server answered with, to pay again if wanted. */
  paymentRequired?: PaymentRequired
  /** The failed (or pending) settlement, when settling failed after the tool ran. */
  settlement?: SettleResponse
  result?: CallToolResult
}

/** An MCP client that pays for tools. */
export interface PayingMcpClient {
  /**
   * Calls a tool; when it asks for payment, pays once (as the policies allow) and calls again with
   * `_meta["x402/payment"]`. Throws `X402Error('payment_refused_by_policy' | 'no_scheme_registered')`
   * without paying, or `X402Error('payment_failed')` (details in `cause`, a {@link ToolPaymentFailure})
   * when the paid call was refused or its settlement failed.
   */
  callTool(params: CallToolRequest['params'], options?: RequestOptions): Promise<PaidToolResult>
  /** The wrapped client. */
  readonly mcpClient: Client
}

type Answer = { result: CallToolResult } | { paymentRequired: PaymentRequired; message: string }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The human message of a payment-required tool result (`x402/error.message`), else its `error`. */
function messageOf(result: CallToolResult, paymentRequired: PaymentRequired): string {
  const first = result.content[0]
  if (first?.type === 'text') {
    try {
      const wrapper = (JSON.parse(first.text) as Record<string, unknown>)[MCP_PAYMENT_ERROR_KEY]
      if (isRecord(wrapper) && typeof wrapper.message === 'string') return wrapper.message
    } catch {
      // a plain text message: fall back to the PaymentRequired's error
    }
  }
  return paymentRequired.error ?? 'payment required'
}

/**
 * Makes an MCP SDK `Client` pay for tools over x402 (transports-v2/mcp.md). The PaymentRequired is read
 * from `structuredContent`, its `x402/error` wrapper or `content[0].text` (and, leniently, from a JSON-RPC
 * error 402 / -32042 / -32402 whose `data` is one). Budget reservations are released when the server says
 * nothing was charged.
 * @example const paying = withPayments(mcpClient, { client: createPaymentClient({ schemes }) })
 * const { result, payment } = await paying.callTool({ name: 'weather', arguments: { city: 'Paris' } })
 */
export function withPayments(mcpClient: Client, options: WithPaymentsOptions): PayingMcpClient {
  const { client: paymentClient, confirm } = options

  async function send(params: CallToolRequest['params'], requestOptions?: RequestOptions): Promise<Answer> {
    try {
      // `request`, not `callTool`: the SDK would check a PaymentRequired against the tool's outputSchema.
      const result = await mcpClient.request(
        { method: 'tools/call', params },
        CallToolResultSchema,
        requestOptions,
      )
      return { result: result as CallToolResult }
    } catch (error) {
      const code = isRecord(error) ? error.code : undefined
      if (typeof code === 'number' && MCP_PAYMENT_REQUIRED_ERROR_CODES.includes(code)) {
        const data = (error as { data?: unknown }).data
        const wrapped = isRecord(data) ? data[MCP_PAYMENT_ERROR_KEY] : undefined
        const paymentRequired =
          asPaymentRequired(data) ?? asPaymentRequired(isRecord(wrapped) ? wrapped.data : undefined)
        if (paymentRequired) {
          return { paymentRequired, message: error instanceof Error ? error.message : 'payment required' }
        }
      }
      throw error
    }
  }

  async function callTool(
    params: CallToolRequest['params'],
    requestOptions?: RequestOptions,
  ): Promise<PaidToolResult> {
    const first = await send(params, requestOptions)
    const paymentRequired =
      'paymentRequired' in first ? first.paymentRequired : paymentRequiredFromToolResult(first.result)
    if (!paymentRequired) return { result: (first as { result: CallToolResult }).result }

    const url = options.url ?? paymentRequired.resource.url
    if (confirm) {
      const offer = paymentClient.selectRequirements(paymentRequired, { url })
      const context = { name: params.name, arguments: params.arguments, paymentRequired }
      if (!(await confirm(offer, context))) {
        throw new X402Error(
          'payment_refused_by_policy',
          `confirm: the payment of ${offer.amount} of ${offer.asset} on ${offer.network} for tool ${params.name} was not confirmed`,
        )
      }
    }
    const payment = await paymentClient.createPaymentPayload(paymentRequired, { url })
    const second = await send(
      { ...params, _meta: { ...params._meta, [MCP_PAYMENT_META_KEY]: payment } },
      requestOptions,
    )

    const fail = (failure: ToolPaymentFailure, text: string): never => {
      throw new X402Error('payment_failed', `tool ${params.name}: ${text}`, { cause: failure })
    }
    if ('paymentRequired' in second) {
      await paymentClient.release(payment)
      const reason = second.paymentRequired.error ?? 'payment_required'
      return fail(
        { reason, paymentRequired: second.paymentRequired },
        `payment refused (${reason}): ${second.message}`,
      )
    }
    const { result } = second
    const settlement = paymentResponseFromToolResult(result)
    const refused = paymentRequiredFromToolResult(result)
    if (refused) {
      // Refused before running, or the settlement failed: nothing was charged unless a transaction went
      // out that is not known to have failed (pending, or unknown).
      if (!settlement?.transaction || settlement.status === 'failed') await paymentClient.release(payment)
      const reason = settlement?.errorReason ?? refused.error ?? 'payment_required'
      const what = settlement ? 'settlement failed' : 'payment refused'
      return fail(
        { reason, paymentRequired: refused, result, ...(settlement ? { settlement } : {}) },
        `${what} (${reason}): ${messageOf(result, refused)}`,
      )
    }
    const unavailable = result._meta?.[MCP_PAYMENT_UNAVAILABLE_META_KEY]
    if (isRecord(unavailable)) {
      // Whether money moved is unknown once the tool ran (the settlement may have gone out): keep the budget spent.
      if (unavailable.toolRan === false) await paymentClient.release(payment)
      const reason = typeof unavailable.reason === 'string' ? unavailable.reason : 'payment_unavailable'
      const text = typeof unavailable.message === 'string' ? unavailable.message : 'unavailable'
      return fail({ reason, result }, `the server could not process the payment (${reason}): ${text}`)
    }
    if (result.isError && !settlement) {
      await paymentClient.release(payment) // the tool failed: nothing was charged
      return { result }
    }
    return settlement ? { result, payment: settlement } : { result }
  }

  return { callTool, mcpClient }
}
