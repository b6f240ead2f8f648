import { describe, expect, test } from 'vitest'
import { validateDiscoveryExtension } from './bazaar-validate.js'

const DRAFT = 'https://json-schema.org/draft/2020-12/schema'
const outputSchema = {
  type: 'object',
  properties: { type: { type: 'string' }, example: { type: 'object' } },
  required: ['type'],
}

// The three examples of specs/extensions/bazaar.md (coinbase/x402), as written there.
const SPEC_GET = {
  info: {
    input: { type: 'http', method: 'GET', queryParams: { city: 'San Francisco' } },
    output: { type: 'json', example: { city: 'San Francisco', weather: 'foggy', temperature: 60 } },
  },
  schema: {
    $schema: DRAFT,
    type: 'object',
    properties: {
      input: {
        type: 'object',
        properties: {
          type: { type: 'string', const: 'http' },
          method: { type: 'string', enum: ['GET', 'HEAD', 'DELETE'] },
          queryParams: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['type', 'method'],
        additionalProperties: false,
      },
      output: outputSchema,
    },
    required: ['input'],
  },
}

const SPEC_POST = {
  info: {
    input: { type: 'http', method: 'POST', bodyType: 'json', body: { query: 'example' } },
    output: { type: 'json', example: { results: [] } },
  },
  schema: {
    $schema: DRAFT,
    type: 'object',
    properties: {
      input: {
        type: 'object',
        properties: {
          type: { type: 'string', const: 'http' },
          method: { type: 'string', enum: ['POST', 'PUT', 'PATCH'] },
          bodyType: { type: 'string', enum: ['json', 'form-data', 'text'] },
          body: { type: 'object' },
          queryParams: { type: 'object', additionalProperties: { type: 'string' } },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['type', 'method', 'bodyType', 'body'],
        additionalProperties: false,
      },
      output: outputSchema,
    },
    required: ['input'],
  },
}

const SPEC_MCP = {
  info: {
    input: {
      type: 'mcp',
      tool: 'financial_analysis',
      description: 'Advanced AI-powered financial analysis',
      inputSchema: {
        type: 'object',
        properties: {
          ticker: { type: 'string' },
          analysis_type: { type: 'string', enum: ['quick', 'deep'] },
        },
        required: ['ticker'],
      },
      example: { ticker: 'AAPL', analysis_type: 'deep' },
    },
    output: { type: 'json', example: { summary: 'Strong fundamentals...', score: 8.5 } },
  },
  schema: {
    $schema: DRAFT,
    type: 'object',
    properties: {
      input: {
        type: 'object',
        properties: {
          type: { type: 'string', const: 'mcp' },
          tool: { type: 'string' },
          description: { type: 'string' },
          transport: { type: 'string', enum: ['streamable-http', 'sse'] },
          inputSchema: { type: 'object' },
          example: { type: 'object' },
        },
        required: ['type', 'tool', 'inputSchema'],
        additionalProperties: false,
      },
      output: outputSchema,
    },
    required: ['input'],
  },
}

// What the official @x402/extensions 2.27.0 produces: `declareDiscoveryExtension(...)` then, for HTTP, the
// method added by `bazaarResourceServerExtension.enrichDeclaration` (the form that reaches a facilitator).
const OFFICIAL_GET = JSON.parse(
  '{"info":{"input":{"type":"http","queryParams":{"city":"Paris"},"method":"GET"},"output":{"type":"json","example":{"temp":12}}},"schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"input":{"type":"object","properties":{"type":{"type":"string","const":"http"},"method":{"type":"string","enum":["GET"]},"queryParams":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"required":["type","method"],"additionalProperties":false},"output":{"type":"object","properties":{"type":{"type":"string"},"example":{"type":"object","properties":{"temp":{"type":"number"}}}},"required":["type"]}},"required":["input"]}}',
)
const OFFICIAL_POST = JSON.parse(
  '{"info":{"input":{"type":"http","bodyType":"json","body":{"q":"x"},"method":"POST"},"output":{"type":"json","example":{"r":[]}}},"schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"input":{"type":"object","properties":{"type":{"type":"string","const":"http"},"method":{"type":"string","enum":["POST"]},"bodyType":{"type":"string","enum":["json","form-data","text"]},"body":{"properties":{"q":{"type":"string"}},"required":["q"]}},"required":["type","method","bodyType","body"],"additionalProperties":false},"output":{"type":"object","properties":{"type":{"type":"string"},"example":{"type":"object"}},"required":["type"]}},"required":["input"]}}',
)
const OFFICIAL_MCP = JSON.parse(
  '{"info":{"input":{"type":"mcp","toolName":"fin","description":"Fin","transport":"sse","inputSchema":{"type":"object","properties":{"t":{"type":"string"}}},"example":{"t":"A"}}},"schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"input":{"type":"object","properties":{"type":{"type":"string","const":"mcp"},"toolName":{"type":"string"},"description":{"type":"string"},"transport":{"type":"string","enum":["sse"]},"inputSchema":{"type":"object"},"example":{"type":"object"}},"required":["type","toolName","inputSchema"],"additionalProperties":false}},"required":["input"]}}',
)

describe('validateDiscoveryExtension', () => {
  test.each([
    ['the spec GET example', SPEC_GET],
    ['the spec POST example', SPEC_POST],
    ['the spec MCP example', SPEC_MCP],
    ['an official SDK GET declaration', OFFICIAL_GET],
    ['an official SDK POST declaration', OFFICIAL_POST],
    ['an official SDK MCP declaration (toolName)', OFFICIAL_MCP],
  ])('accepts %s', (_name, declaration) => {
    const result = validateDiscoveryExtension(declaration)
    expect(result).toEqual({ ok: true, extension: { info: declaration.info, schema: declaration.schema } })
  })

  test('keeps a routeTemplate', () => {
    const result = validateDiscoveryExtension({ ...SPEC_GET, routeTemplate: '/users/:id' })
    expect(result.ok && result.extension.routeTemplate).toBe('/users/:id')
  })

  const withInput = (input: unknown, schema: Record<string, unknown> = SPEC_GET.schema) => ({
    info: { input },
    schema,
  })
  const loose = { type: 'object', properties: { input: {} }, required: ['input'] }

  test.each([
    ['a string', 'bazaar', 'the bazaar extension must be an object { info, schema }'],
    ['no schema', { info: SPEC_GET.info }, 'schema: must be a JSON Schema object'],
    ['info that is an array', { info: [], schema: SPEC_GET.schema }, 'info: must be an object'],
    [
      'a schema that does not require input',
      { info: SPEC_GET.info, schema: { type: 'object' } },
      'schema: must define and require the "input" property',
    ],
    [
      'info that does not match its schema',
      { info: { input: { type: 'http', method: 'GET', queryParams: {} } }, schema: SPEC_GET.schema },
      'info failed schema validation: input.queryParams: missing required property "city"',
    ],
    [
      'an input field the schema forbids',
      withInput({ type: 'http', method: 'GET', body: {} }),
      'info failed schema validation: input.body: is not an allowed property',
    ],
    ['an unknown input type', withInput({ type: 'grpc' }, loose), 'info.input.type: must be "http" or "mcp"'],
    [
      'an unknown method',
      withInput({ type: 'http', method: 'TRACE' }, loose),
      'info.input.method: must be one of GET, HEAD, DELETE, POST, PUT, PATCH',
    ],
    [
      'a body method without a body',
      withInput({ type: 'http', method: 'POST', bodyType: 'json' }, loose),
      'info.input.body: must be the example body, an object or a string',
    ],
    [
      'an MCP tool without a name',
      withInput({ type: 'mcp', inputSchema: {} }, loose),
      'info.input.tool: must name the tool',
    ],
    [
      'an output without a type',
      { info: { input: { type: 'http', method: 'GET' }, output: { example: 1 } }, schema: loose },
      'info.output.type: Invalid input: expected string, received undefined',
    ],
    [
      'a schema of another draft',
      {
        info: SPEC_GET.info,
        schema: { ...SPEC_GET.schema, $schema: 'http://json-schema.org/draft-07/schema#' },
      },
      'info failed schema validation: $schema must be https://json-schema.org/draft/2020-12/schema',
    ],
  ])('rejects %s with a reason', (_name, declaration, reason) => {
    expect(validateDiscoveryExtension(declaration)).toEqual({ ok: false, reason })
  })
})
