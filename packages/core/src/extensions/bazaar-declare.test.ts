import { describe, expect, test } from 'vitest'
import { isX402Error } from '../errors/x402-error.js'
import { declareDiscovery } from './bazaar-declare.js'
import { validateDiscoveryExtension } from './bazaar-validate.js'

const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

describe('declareDiscovery', () => {
  test('declares a GET endpoint: query example, its schema, output, description and tags', () => {
    const declared = declareDiscovery({
      method: 'GET',
      input: { city: 'Paris' },
      inputSchema: citySchema,
      output: { example: { weather: 'sunny' }, schema: { type: 'object', required: ['weather'] } },
      description: 'Current weather',
      tags: ['weather'],
    })
    expect(declared.info).toEqual({
      input: { type: 'http', method: 'GET', queryParams: { city: 'Paris' } },
      output: { type: 'json', example: { weather: 'sunny' } },
      description: 'Current weather',
      tags: ['weather'],
    })
    expect(declared.schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        input: {
          type: 'object',
          properties: {
            type: { type: 'string', const: 'http' },
            method: { type: 'string', enum: ['GET'] },
            queryParams: citySchema,
          },
          required: ['type', 'method'],
          additionalProperties: false,
        },
        output: {
          type: 'object',
          properties: { type: { type: 'string' }, example: { type: 'object', required: ['weather'] } },
          required: ['type'],
        },
        description: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['input'],
    })
    expect(validateDiscoveryExtension(declared).ok).toBe(true)
  })

  test('declares a POST endpoint with a JSON body by default, and a text body when asked', () => {
    const json = declareDiscovery({ method: 'POST', input: { query: 'x' }, headers: { 'X-Key': 'k' } })
    expect(json.info.input).toEqual({
      type: 'http',
      method: 'POST',
      bodyType: 'json',
      body: { query: 'x' },
      headers: { 'X-Key': 'k' },
    })
    const text = declareDiscovery({
      method: 'PUT',
      bodyType: 'text',
      input: 'hello',
      queryParams: { lang: 'en' },
    })
    expect(text.info.input).toEqual({
      type: 'http',
      method: 'PUT',
      bodyType: 'text',
      body: 'hello',
      queryParams: { lang: 'en' },
    })
    expect(validateDiscoveryExtension(text).ok).toBe(true)
    expect(declareDiscovery({ method: 'PATCH' }).info.input).toMatchObject({ bodyType: 'json', body: {} })
  })

  test('declares an MCP tool under the spec field names', () => {
    const declared = declareDiscovery({
      tool: 'forecast',
      description: 'Forecast for a city',
      inputSchema: citySchema,
      example: { city: 'Oslo' },
      transport: 'sse',
      tags: ['weather'],
    })
    expect(declared.info).toEqual({
      input: {
        type: 'mcp',
        tool: 'forecast',
        inputSchema: citySchema,
        description: 'Forecast for a city',
        transport: 'sse',
        example: { city: 'Oslo' },
      },
      tags: ['weather'],
    })
    expect(validateDiscoveryExtension(declared).ok).toBe(true)
  })

  test('keeps a valid routeTemplate at the top of the extension', () => {
    expect(declareDiscovery({ method: 'GET', routeTemplate: '/users/:userId' }).routeTemplate).toBe(
      '/users/:userId',
    )
  })

  test.each([
    [
      'an example that does not match its schema',
      { method: 'GET' as const, input: { town: 'Paris' }, inputSchema: citySchema },
      'declareDiscovery: info failed schema validation: input.queryParams: missing required property "city"',
    ],
    [
      'an output example that does not match its schema',
      { method: 'GET' as const, output: { example: 'sunny', schema: { type: 'object' } } },
      'declareDiscovery: info failed schema validation: output.example: must be of type object, got string',
    ],
    [
      'a text body on a GET',
      { method: 'GET' as const, input: 'text' },
      'declareDiscovery: GET takes query parameters, not a text body',
    ],
    [
      'a body type on a DELETE',
      { method: 'DELETE' as const, bodyType: 'json' as const },
      'declareDiscovery: DELETE has no body; give its query parameters as input',
    ],
    [
      'a route template with ..',
      { method: 'GET' as const, routeTemplate: '/a/%2e%2e/admin' },
      'declareDiscovery: routeTemplate "/a/%2e%2e/admin" must be a path such as /users/:userId',
    ],
    [
      'an MCP example that does not match the tool schema',
      { tool: 't', inputSchema: citySchema, example: {} },
      'declareDiscovery: info failed schema validation: input.example: missing required property "city"',
    ],
  ])('throws invalid_config for %s', (_name, options, message) => {
    let error: unknown
    try {
      declareDiscovery(options)
    } catch (caught) {
      error = caught
    }
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toBe(message)
  })
})
