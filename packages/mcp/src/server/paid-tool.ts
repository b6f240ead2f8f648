import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js'
import {
  createPaymentGate,
  type GateOption,
  type GateRefusal,
  type GateUnavailable,
  type ResourceServer,
  type SettleResponse,
} from '@open402/core'
import {
  MCP_PAYMENT_META_KEY,
  MCP_PAYMENT_RESPONSE_META_KEY,
  MCP_PAYMENT_UNAVAILABLE_META_KEY,
  toolResourceUrl,
} from '../shared/constants.js'
import { paymentRequiredResult } from '../shared/tool-result.js'

/** The second argument of an MCP SDK tool callback (the request's `_meta`, signal, session…). */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** One call of a paid tool, as dynamic prices and payees see it. */
export interface ToolCall<TArgs = Record<string, unknown>> {
  /** The tool's name. */
  name: string
  /** The validated arguments (`undefined` for a tool without `inputSchema`). */
  args: TArgs
  extra: ToolExtra
}

/** A tool callback of the MCP SDK: `(args, extra)`, or `(extra)` for a tool without `inputSchema`. */
export type ToolHandler<TArgs = Record<string, unknown>> =
  | ((args: TArgs, extra: ToolExtra) => CallToolResult | Promise<CallToolResult>)
  | ((extra: ToolExtra) => CallToolResult | Promise<CallToolResult>)

/** How a tool is paid for. */
export interface ToolPaymentOptions<TArgs = Record<string, unknown>> {
  /** Ways to pay; `price` and `payTo` may be functions of the {@link ToolCall} (e.g. of the arguments). */
  accepts: GateOption<ToolCall<TArgs>> | GateOption<ToolCall<TArgs>>[]
  /** `resource.description` of the PaymentRequired. */
  description?: string
  /** `resource.mimeType` of the PaymentRequired. */
  mimeType?: string
  /** The resource URL (default `mcp://tool/<name>`). */
  resource?: string
  /** Extensions declared in the PaymentRequired, e.g. `{ bazaar: declareDiscovery({ tool, inputSchema }) }`. */
  extensions?: Record<string, unknown>
}

/** Options of {@link paidTool}: the payment terms and the name the tool is registered under. */
export interface PaidToolOptions<TArgs = Record<string, unknown>> extends ToolPaymentOptions<TArgs> {
  name: string
}

/** The tool result of a payment that could not be processed: the tool's output (if any) is withheld. */
function unavailableResult(outcome: GateUnavailable, ran: boolean): CallToolResult {
  const what = ran
    ? 'the tool ran but its output is withheld'
    : 'the tool did not run and nothing was charged'
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: `payment could not be processed (${outcome.reason}): ${outcome.message}; ${what}`,
      },
    ],
    _meta: {
      [MCP_PAYMENT_UNAVAILABLE_META_KEY]: { reason: outcome.reason, message: outcome.message, toolRan: ran },
    },
  }
}

/** The settlement a refusal reports: the facilitator's answer, else a failure naming the reason. */
function failedSettlement(refusal: GateRefusal, network: string): SettleResponse {
  return (
    refusal.settlement ?? {
      success: false,
      errorReason: refusal.reason,
      errorMessage: refusal.message,
      transaction: '',
      network: network as SettleResponse['network'],
    }
  )
}

/**
 * Wraps a tool callback of the MCP SDK so the tool must be paid for (transports-v2/mcp.md): a call without
 * `_meta["x402/payment"]` gets the PaymentRequired; a paid call is verified, runs, and is settled only if the
 * tool did not answer `isError`, then carries `_meta["x402/payment-response"]`. A settlement that fails
 * withholds the output and answers the PaymentRequired with the failed settlement. Options are checked now.
 * @example server.registerTool('weather', { inputSchema }, paidTool(resourceServer, { name: 'weather', accepts })(handler))
 */
export function paidTool<TArgs = Record<string, unknown>>(
  server: ResourceServer,
  options: PaidToolOptions<TArgs>,
): <THandler extends ToolHandler<TArgs>>(handler: THandler) => THandler {
  const { name, resource, accepts, description, mimeType, extensions } = options
  const gate = createPaymentGate<ToolCall<TArgs>>(server, {
    resource: resource ?? toolResourceUrl(name),
    accepts,
    ...(description === undefined ? {} : { description }),
    ...(mimeType === undefined ? {} : { mimeType }),
    ...(extensions === undefined ? {} : { extensions }),
  })

  return <THandler extends ToolHandler<TArgs>>(handler: THandler): THandler => {
    // The SDK calls `(args, extra)` for a tool with an inputSchema and `(extra)` otherwise.
    const wrapped = async (...params: unknown[]): Promise<CallToolResult> => {
      const extra = params[params.length - 1] as ToolExtra
      const call: ToolCall<TArgs> = {
        name,
        args: (params.length > 1 ? params[0] : undefined) as TArgs,
        extra,
      }
      const payment = extra?._meta?.[MCP_PAYMENT_META_KEY]
      if (payment === undefined) {
        const required = await gate.required(call)
        if (required.kind === 'unavailable') return unavailableResult(required, false)
        return paymentRequiredResult(required.paymentRequired, 'Payment required')
      }

      const verdict = await gate.verify(call, payment)
      if (verdict.kind === 'unavailable') return unavailableResult(verdict, false)
      if (verdict.kind === 'refused') {
        return paymentRequiredResult(verdict.paymentRequired, `Payment refused: ${verdict.message}`)
      }

      const result = await (handler as (...args: unknown[]) => CallToolResult | Promise<CallToolResult>)(
        ...params,
      )
      if (result.isError) return result // nothing is charged for a failed call

      const settled = await verdict.settle()
      if (settled.kind === 'unavailable') return unavailableResult(settled, true)
      if (settled.kind === 'refused') {
        return paymentRequiredResult(
          settled.paymentRequired,
          `Payment settlement failed: ${settled.message}`,
          failedSettlement(settled, verdict.payment.requirements.network),
        )
      }
      return { ...result, _meta: { ...result._meta, [MCP_PAYMENT_RESPONSE_META_KEY]: settled.response } }
    }
    return wrapped as unknown as THandler
  }
}
