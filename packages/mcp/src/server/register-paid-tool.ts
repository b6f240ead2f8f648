import type { McpServer, RegisteredTool, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js'
import type {
  AnySchema,
  SchemaOutput,
  ShapeOutput,
  ZodRawShapeCompat,
} from '@modelcontextprotocol/sdk/server/zod-compat.js'
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import type { ResourceServer } from '@open402/core'
import { paidTool, type ToolHandler, type ToolPaymentOptions } from './paid-tool.js'

/** The arguments a tool's callback gets for its `inputSchema` (`undefined` without one). */
export type ToolArgs<InputArgs> = InputArgs extends ZodRawShapeCompat
  ? ShapeOutput<InputArgs>
  : InputArgs extends AnySchema
    ? SchemaOutput<InputArgs>
    : undefined

/** The config of `McpServer.registerTool`, plus how the tool is paid for. */
export interface PaidToolConfig<InputArgs, OutputArgs> {
  title?: string
  description?: string
  inputSchema?: InputArgs
  outputSchema?: OutputArgs
  annotations?: ToolAnnotations
  _meta?: Record<string, unknown>
  /** The payment terms; `description` defaults to the tool's. */
  payment: ToolPaymentOptions<ToolArgs<InputArgs>>
}

/**
 * Registers a paid tool: `McpServer.registerTool` with the callback wrapped by {@link paidTool}, the
 * resource URL `mcp://tool/<name>`, and dynamic prices typed by the tool's `inputSchema`.
 * @example registerPaidTool(mcpServer, resourceServer, 'weather', { inputSchema: { city: z.string() }, payment: { accepts } }, handler)
 */
export function registerPaidTool<
  InputArgs extends undefined | ZodRawShapeCompat | AnySchema = undefined,
  OutputArgs extends ZodRawShapeCompat | AnySchema = ZodRawShapeCompat,
>(
  mcpServer: McpServer,
  resourceServer: ResourceServer,
  name: string,
  config: PaidToolConfig<InputArgs, OutputArgs>,
  handler: ToolCallback<InputArgs>,
): RegisteredTool {
  const { payment, ...toolConfig } = config
  const description = payment.description ?? toolConfig.description
  const paid = paidTool<ToolArgs<InputArgs>>(resourceServer, {
    ...payment,
    name,
    ...(description === undefined ? {} : { description }),
  })
  // ToolCallback<InputArgs> is `(args, extra)` or `(extra)` depending on InputArgs; paidTool keeps either shape.
  const wrapped = paid(handler as ToolHandler<ToolArgs<InputArgs>>) as ToolCallback<InputArgs>
  return mcpServer.registerTool<OutputArgs, InputArgs>(name, toolConfig, wrapped)
}
