import { z } from 'zod'

/** The extension key of discovery (extensions/bazaar.md). */
export const BAZAAR = 'bazaar'

/** HTTP methods whose input travels in the query string. */
export const DISCOVERY_QUERY_METHODS = ['GET', 'HEAD', 'DELETE'] as const
/** HTTP methods whose input travels in the body. */
export const DISCOVERY_BODY_METHODS = ['POST', 'PUT', 'PATCH'] as const
/** Encodings of a body input. */
export const DISCOVERY_BODY_TYPES = ['json', 'form-data', 'text'] as const
/** MCP transports (`streamable-http` when absent). */
export const DISCOVERY_MCP_TRANSPORTS = ['streamable-http', 'sse'] as const

const ParamMap = z.record(z.string(), z.unknown())
const StringMap = z.record(z.string(), z.string())

/** `info.input` of a GET, HEAD or DELETE endpoint. */
export const HttpQueryInputSchema = z.looseObject({
  type: z.literal('http'),
  method: z.enum(DISCOVERY_QUERY_METHODS),
  queryParams: ParamMap.optional(),
  pathParams: ParamMap.optional(),
  headers: StringMap.optional(),
})
export type HttpQueryInput = z.infer<typeof HttpQueryInputSchema>

/** `info.input` of a POST, PUT or PATCH endpoint: the body is an example (an object, or text). */
export const HttpBodyInputSchema = z.looseObject({
  type: z.literal('http'),
  method: z.enum(DISCOVERY_BODY_METHODS),
  bodyType: z.enum(DISCOVERY_BODY_TYPES),
  body: z.union([ParamMap, z.string()], { error: 'must be the example body, an object or a string' }),
  queryParams: ParamMap.optional(),
  pathParams: ParamMap.optional(),
  headers: StringMap.optional(),
})
export type HttpBodyInput = z.infer<typeof HttpBodyInputSchema>

/**
 * `info.input` of an MCP tool. The spec names the tool `tool`; the official SDKs (2.27) write `toolName`,
 * which is accepted too.
 */
export const McpInputSchema = z
  .looseObject({
    type: z.literal('mcp'),
    tool: z.string().min(1).optional(),
    toolName: z.string().min(1).optional(),
    description: z.string().optional(),
    transport: z.enum(DISCOVERY_MCP_TRANSPORTS).optional(),
    inputSchema: ParamMap,
    example: ParamMap.optional(),
  })
  .refine((input) => input.tool !== undefined || input.toolName !== undefined, {
    message: 'must name the tool',
    path: ['tool'],
  })
export type McpInput = z.infer<typeof McpInputSchema>

/** `info.output`: the response's type (`json`, `text`…), an optional format and an example. */
export const DiscoveryOutputSchema = z.looseObject({
  type: z.string().min(1),
  format: z.string().optional(),
  example: z.unknown().optional(),
})
export type DiscoveryOutput = z.infer<typeof DiscoveryOutputSchema>

/**
 * The envelope of `info`; `input` is checked by {@link parseDiscoveryInput}. `description` and `tags` are an
 * open402 addition (the spec puts service tags on `resource.tags`, which is read too).
 */
export const DiscoveryInfoEnvelopeSchema = z.looseObject({
  input: z.unknown(),
  output: DiscoveryOutputSchema.optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
})

/** The discovery data of a resource: how to call it and what it answers. */
export interface DiscoveryInfo {
  input: HttpQueryInput | HttpBodyInput | McpInput
  output?: DiscoveryOutput
  description?: string
  tags?: string[]
  [key: string]: unknown
}

/** `extensions.bazaar`: the info, its JSON Schema, and for a parameterised route its `routeTemplate`. */
export interface DiscoveryExtension {
  info: DiscoveryInfo
  schema: Record<string, unknown>
  /** The route with `:param` segments (`/users/:userId`), the catalog key of every concrete URL. */
  routeTemplate?: string
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]
  const path = [prefix, ...(issue?.path ?? []).map(String)].join('.')
  return `${path}: ${issue?.message ?? 'is invalid'}`
}

/**
 * Checks `info.input` against the three shapes of the spec (query method, body method, MCP tool), choosing
 * the shape by `type` and `method` so that the reason names the field that is wrong.
 */
export function parseDiscoveryInput(input: unknown): Parsed<DiscoveryInfo['input']> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'info.input: must be an object' }
  }
  const { type, method } = input as { type?: unknown; method?: unknown }
  let result: z.ZodSafeParseResult<DiscoveryInfo['input']>
  if (type === 'mcp') {
    result = McpInputSchema.safeParse(input)
  } else if (type === 'http') {
    if ((DISCOVERY_QUERY_METHODS as readonly unknown[]).includes(method)) {
      result = HttpQueryInputSchema.safeParse(input)
    } else if ((DISCOVERY_BODY_METHODS as readonly unknown[]).includes(method)) {
      result = HttpBodyInputSchema.safeParse(input)
    } else {
      const methods = [...DISCOVERY_QUERY_METHODS, ...DISCOVERY_BODY_METHODS].join(', ')
      return { ok: false, reason: `info.input.method: must be one of ${methods}` }
    }
  } else {
    return { ok: false, reason: 'info.input.type: must be "http" or "mcp"' }
  }
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: firstIssue(result.error, 'info.input') }
}
