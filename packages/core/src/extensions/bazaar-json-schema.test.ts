import { describe, expect, test } from 'vitest'
import { jsonEqual, validateJsonSchema } from './bazaar-json-schema.js'

const object = {
  type: 'object',
  properties: { city: { type: 'string', minLength: 2 }, days: { type: 'integer', minimum: 1, maximum: 7 } },
  required: ['city'],
  additionalProperties: false,
}

describe('validateJsonSchema', () => {
  test.each([
    ['a matching object', object, { city: 'Paris', days: 3 }],
    ['true accepts anything', true, [1, 'x']],
    ['an empty schema accepts anything', {}, null],
    ['a type list', { type: ['string', 'null'] }, null],
    ['const with another key order', { const: { a: 1, b: [2] } }, { b: [2], a: 1 }],
    ['enum', { enum: ['GET', 'HEAD'] }, 'HEAD'],
    ['integer as number', { type: 'number' }, 3],
    ['items and prefixItems', { prefixItems: [{ type: 'string' }], items: { type: 'number' } }, ['a', 1, 2]],
    ['additionalProperties as a schema', { additionalProperties: { type: 'string' } }, { a: 'x' }],
    ['anyOf', { anyOf: [{ type: 'string' }, { type: 'number' }] }, 5],
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'number' }] }, 'x'],
    ['allOf', { allOf: [{ type: 'number' }, { minimum: 2 }] }, 3],
    ['not', { not: { type: 'string' } }, 3],
    [
      'a local $ref',
      { $defs: { name: { type: 'string' } }, properties: { n: { $ref: '#/$defs/name' } } },
      { n: 'x' },
    ],
    ['draft 2020-12 with a trailing #', { $schema: 'https://json-schema.org/draft/2020-12/schema#' }, 1],
    ['pattern is not applied', { type: 'string', pattern: '^(a+)+$' }, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaab'],
    ['format is an annotation', { type: 'string', format: 'email' }, 'not an email'],
    [
      'patternProperties lifts additionalProperties',
      { patternProperties: { x: {} }, additionalProperties: false },
      { y: 1 },
    ],
    ['string length counts code points', { type: 'string', maxLength: 1 }, '😀'],
  ])('accepts %s', (_name, schema, value) => {
    expect(validateJsonSchema(schema, value)).toBeUndefined()
  })

  test.each([
    ['a missing required property', object, {}, '', 'missing required property "city"'],
    [
      'a wrong nested type',
      object,
      { city: 'Paris', days: 'two' },
      'days',
      'must be of type integer, got string',
    ],
    ['an extra property', object, { city: 'Paris', x: 1 }, 'x', 'is not an allowed property'],
    ['a too short string', object, { city: 'P' }, 'city', 'must be at least 2 characters long'],
    ['a number over the maximum', object, { city: 'Paris', days: 8 }, 'days', 'must be <= 7'],
    [
      'a const mismatch',
      { properties: { type: { const: 'http' } } },
      { type: 'mcp' },
      'type',
      'must be "http"',
    ],
    ['an enum mismatch', { enum: ['GET'] }, 'POST', '', 'must be one of "GET"'],
    ['an array item', { items: { type: 'string' } }, ['a', 2], '[1]', 'must be of type string, got number'],
    ['false', false, 1, '', 'no value is allowed here'],
    ['too few items', { minItems: 2 }, [1], '', 'must have at least 2 items'],
    ['repeated items', { uniqueItems: true }, [{ a: 1 }, { a: 1 }], '', 'items 0 and 1 are equal'],
    ['anyOf without a match', { anyOf: [{ type: 'string' }] }, 1, '', 'matches none of the anyOf schemas'],
    [
      'oneOf with two matches',
      { oneOf: [{ type: 'number' }, { minimum: 0 }] },
      1,
      '',
      'matches 2 of the oneOf schemas instead of exactly one',
    ],
    ['not', { not: { type: 'number' } }, 1, '', 'matches the schema in "not"'],
    ['an unknown type name', { type: 'text' }, 'x', '', 'the schema has an unknown type "text"'],
    [
      'an unresolvable $ref',
      { $ref: 'https://example.com/schema' },
      1,
      '',
      'cannot resolve $ref "https://example.com/schema"',
    ],
    [
      'another draft',
      { $schema: 'http://json-schema.org/draft-07/schema#' },
      1,
      '',
      '$schema must be https://json-schema.org/draft/2020-12/schema',
    ],
    ['a schema that is not one', 'object', {}, '', 'the schema must be a JSON object or a boolean'],
  ])('rejects %s', (_name, schema, value, path, message) => {
    expect(validateJsonSchema(schema, value)).toEqual({ path, message })
  })

  test('a recursive $ref on a deep value stops at the depth limit instead of overflowing the stack', () => {
    const schema = {
      $defs: { node: { properties: { next: { $ref: '#/$defs/node' } } } },
      $ref: '#/$defs/node',
    }
    let value: Record<string, unknown> = {}
    for (let i = 0; i < 200; i++) value = { next: value }
    expect(validateJsonSchema(schema, value)).toEqual({
      path: '',
      message: 'the schema nests deeper than 64 levels',
    })
  })

  test('nested anyOf over a long array stops at the step limit', () => {
    const branchy = {
      anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }],
    }
    const schema = { items: { anyOf: [branchy, branchy, branchy, { type: 'null' }] } }
    const value = Array.from({ length: 5000 }, () => null)
    expect(validateJsonSchema(schema, value, { maxSteps: 10_000 })).toEqual({
      path: '',
      message: 'the schema needs more than 10000 checks',
    })
  })
})

test('jsonEqual compares JSON values structurally', () => {
  expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true)
  expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
  expect(jsonEqual([1, 2], [2, 1])).toBe(false)
  expect(jsonEqual(null, {})).toBe(false)
})
