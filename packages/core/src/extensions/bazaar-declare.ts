import { X402Error } from '../errors/x402-error.js'
import { isValidRouteTemplate } from './bazaar-catalog-entry.js'
import {
  DISCOVERY_BODY_METHODS,
  DISCOVERY_BODY_TYPES,
  DISCOVERY_MCP_TRANSPORTS,
  type DISCOVERY_QUERY_METHODS,
  type DiscoveryExtension,
} from './bazaar-info.js'
import { JSON_SCHEMA_DRAFT_2020_12 } from './bazaar-json-schema.js'
import { validateDiscoveryExtension } from './bazaar-validate.js'

type JsonSchemaObject = Record<string, unknown>

/** What a resource answers: its type (`json` by default), a format, an example and/or a JSON Schema. */
export interface DiscoveryOutputOptions {
  /** `json` (default), `text`, … */
  type?: string
  format?: string
  example?: unknown
  /** JSON Schema of the response; the example must match it. */
  schema?: JsonSchemaObject
}

interface CommonDiscoveryOptions {
  output?: DiscoveryOutputOptions
  /** What the resource does, for search (`info.description`; the route's `description` is read too). */
  description?: string
  /** Topical tags for search and filtering (`info.tags`): at most 5, printable ASCII, 32 characters each. */
  tags?: string[]
}

/** Discovery of an HTTP endpoint. */
export interface DeclareHttpDiscoveryOptions extends CommonDiscoveryOptions {
  method: (typeof DISCOVERY_QUERY_METHODS)[number] | (typeof DISCOVERY_BODY_METHODS)[number]
  /** An example input: the query parameters (GET, HEAD, DELETE) or the body (POST, PUT, PATCH). */
  input?: Record<string, unknown> | string
  /** JSON Schema of the query parameters or of the body; the example must match it. */
  inputSchema?: JsonSchemaObject
  /** Encoding of the body of a POST, PUT or PATCH (default `json`). */
  bodyType?: (typeof DISCOVERY_BODY_TYPES)[number]
  /** Example query parameters of a POST, PUT or PATCH. */
  queryParams?: Record<string, unknown>
  /** Example request headers the endpoint needs. */
  headers?: Record<string, string>
  /** For a route with parameters: its template with `:name` segments, e.g. `/users/:userId`. */
  routeTemplate?: string
}

/** Discovery of an MCP tool (the resource URL is the MCP server's; the tool name tells tools apart). */
export interface DeclareMcpDiscoveryOptions extends CommonDiscoveryOptions {
  tool: string
  /** The tool's `inputSchema`, as its MCP declaration has it. */
  inputSchema: JsonSchemaObject
  transport?: (typeof DISCOVERY_MCP_TRANSPORTS)[number]
  /** Example `arguments`; they must match `inputSchema`. */
  example?: Record<string, unknown>
}

const HEADERS_SCHEMA = { type: 'object', additionalProperties: { type: 'string' } }

function outputParts(output: DiscoveryOutputOptions | undefined) {
  if (output === undefined) return undefined
  const info: Record<string, unknown> = { type: output.type ?? 'json' }
  if (output.format !== undefined) info.format = output.format
  if (output.example !== undefined) info.example = output.example
  const properties: Record<string, unknown> = { type: { type: 'string' } }
  if (output.format !== undefined) properties.format = { type: 'string' }
  if (output.example !== undefined || output.schema !== undefined) properties.example = output.schema ?? {}
  return { info, schema: { type: 'object', properties, required: ['type'] } }
}

function httpInput(options: DeclareHttpDiscoveryOptions) {
  const { method } = options
  const info: Record<string, unknown> = { type: 'http', method }
  const properties: Record<string, unknown> = {
    type: { type: 'string', const: 'http' },
    method: { type: 'string', enum: [method] },
  }
  const required = ['type', 'method']
  if ((DISCOVERY_BODY_METHODS as readonly string[]).includes(method)) {
    const bodyType = options.bodyType ?? 'json'
    info.bodyType = bodyType
    info.body = options.input ?? (bodyType === 'text' ? '' : {})
    properties.bodyType = { type: 'string', enum: [...DISCOVERY_BODY_TYPES] }
    properties.body = options.inputSchema ?? { type: bodyType === 'text' ? 'string' : 'object' }
    required.push('bodyType', 'body')
    if (options.queryParams !== undefined) {
      info.queryParams = options.queryParams
      properties.queryParams = { type: 'object' }
    }
  } else {
    if (typeof options.input === 'string') {
      throw new X402Error(
        'invalid_config',
        `declareDiscovery: ${method} takes query parameters, not a text body`,
      )
    }
    if (options.bodyType !== undefined || options.queryParams !== undefined) {
      throw new X402Error(
        'invalid_config',
        `declareDiscovery: ${method} has no body; give its query parameters as input`,
      )
    }
    if (options.input !== undefined) info.queryParams = options.input
    if (options.input !== undefined || options.inputSchema !== undefined) {
      properties.queryParams = options.inputSchema ?? { type: 'object' }
    }
  }
  if (options.headers !== undefined) {
    info.headers = options.headers
    properties.headers = HEADERS_SCHEMA
  }
  return { info, schema: { type: 'object', properties, required, additionalProperties: false } }
}

function mcpInput(options: DeclareMcpDiscoveryOptions) {
  const info: Record<string, unknown> = { type: 'mcp', tool: options.tool, inputSchema: options.inputSchema }
  const properties: Record<string, unknown> = {
    type: { type: 'string', const: 'mcp' },
    tool: { type: 'string' },
    description: { type: 'string' },
    transport: { type: 'string', enum: [...DISCOVERY_MCP_TRANSPORTS] },
    inputSchema: { type: 'object' },
    example: options.inputSchema,
  }
  if (options.description !== undefined) info.description = options.description
  if (options.transport !== undefined) info.transport = options.transport
  if (options.example !== undefined) info.example = options.example
  return {
    info,
    schema: {
      type: 'object',
      properties,
      required: ['type', 'tool', 'inputSchema'],
      additionalProperties: false,
    },
  }
}

/**
 * Declares a route's discovery metadata, the `extensions.bazaar` of its 402 (extensions/bazaar.md): how to
 * call it (HTTP method and query or body example, or MCP tool) and what it answers, with the JSON Schema
 * (2020-12) of that `info`, so facilitators can validate and catalog it. The declaration is validated
 * here: an example that does not match its schema throws `X402Error('invalid_config')`.
 * @example
 * const routes = { 'GET /weather': { accepts, extensions: { bazaar: declareDiscovery({
 *   method: 'GET', input: { city: 'Paris' }, inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *   output: { example: { city: 'Paris', weather: 'sunny' } }, description: 'Current weather', tags: ['weather'] }) } } }
 */
export function declareDiscovery(
  options: DeclareHttpDiscoveryOptions | DeclareMcpDiscoveryOptions,
): DiscoveryExtension {
  const input = 'tool' in options ? mcpInput(options) : httpInput(options)
  const output = outputParts(options.output)
  const info: Record<string, unknown> = { input: input.info }
  const properties: Record<string, unknown> = { input: input.schema }
  if (output) {
    info.output = output.info
    properties.output = output.schema
  }
  // An MCP tool's description is `input.description` (the spec's field); an endpoint's is `info.description`.
  if (options.description !== undefined && !('tool' in options)) {
    info.description = options.description
    properties.description = { type: 'string' }
  }
  if (options.tags !== undefined) {
    info.tags = options.tags
    properties.tags = { type: 'array', items: { type: 'string' } }
  }
  const declaration: Record<string, unknown> = {
    info,
    schema: { $schema: JSON_SCHEMA_DRAFT_2020_12, type: 'object', properties, required: ['input'] },
  }
  if ('routeTemplate' in options && options.routeTemplate !== undefined) {
    if (!isValidRouteTemplate(options.routeTemplate)) {
      throw new X402Error(
        'invalid_config',
        `declareDiscovery: routeTemplate ${JSON.stringify(options.routeTemplate)} must be a path such as /users/:userId`,
      )
    }
    declaration.routeTemplate = options.routeTemplate
  }
  const checked = validateDiscoveryExtension(declaration)
  if (!checked.ok) throw new X402Error('invalid_config', `declareDiscovery: ${checked.reason}`)
  return declaration as unknown as DiscoveryExtension
}
