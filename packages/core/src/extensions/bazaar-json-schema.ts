// A small validator for the JSON Schema (draft 2020-12) subset that extension declarations use: the
// bazaar schemas of the spec and of the official SDKs, and the input/output schemas servers embed in them.
// Hand-written because a schema validator library (ajv) would be core's first dependency besides zod, and
// because a facilitator validates schemas sent by strangers: this one runs in bounded time.
//
// Applied: type, const, enum, properties, required, additionalProperties, items, prefixItems, minItems,
// maxItems, uniqueItems, minLength, maxLength, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// multipleOf, minProperties, maxProperties, allOf, anyOf, oneOf, not, $ref to `#` and `#/$defs/…`
// (or `#/definitions/…`). Not applied: `pattern` and `patternProperties` (a regular expression from the
// network can backtrack for minutes), `format` (an annotation by default in 2020-12) and every other
// keyword, which JSON Schema says to ignore when unknown.

/** The draft every extension schema must use (spec §5.1.2: "JSON Schema (Draft 2020-12)"). */
export const JSON_SCHEMA_DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema'

/** A JSON Schema: an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown }

/** Why a value does not match a schema: where (`input.queryParams.city`) and what was expected. */
export interface JsonSchemaIssue {
  path: string
  message: string
}

/** Limits of one validation, so that a hostile schema cannot keep the event loop busy. */
export interface JsonSchemaLimits {
  /** Deepest nesting of schemas followed (default 64). */
  maxDepth?: number
  /** Most schema-value pairs checked in one call (default 20 000). */
  maxSteps?: number
}

type SchemaObject = { readonly [keyword: string]: unknown }

class LimitExceeded extends Error {}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])

/**
 * Checks `value` against `schema` (the subset above); returns the first issue, or `undefined` when it
 * matches. A schema that is not an object or a boolean, a `$schema` other than draft 2020-12, an unknown
 * `type` or an unresolvable `$ref` is an issue too, as are schemas past the limits.
 * @example validateJsonSchema({ type: 'object', required: ['city'] }, {}) // { path: '', message: 'missing required property "city"' }
 */
export function validateJsonSchema(
  schema: unknown,
  value: unknown,
  limits: JsonSchemaLimits = {},
): JsonSchemaIssue | undefined {
  if (!isSchema(schema)) return { path: '', message: 'the schema must be a JSON object or a boolean' }
  if (typeof schema === 'object' && schema.$schema !== undefined) {
    const draft = typeof schema.$schema === 'string' ? schema.$schema.replace(/#$/, '') : schema.$schema
    if (draft !== JSON_SCHEMA_DRAFT_2020_12) {
      return { path: '', message: `$schema must be ${JSON_SCHEMA_DRAFT_2020_12}` }
    }
  }
  const state = {
    root: schema,
    steps: 0,
    maxSteps: limits.maxSteps ?? 20_000,
    maxDepth: limits.maxDepth ?? 64,
  }
  try {
    return check(schema, value, [], 0, state)
  } catch (error) {
    if (error instanceof LimitExceeded) return { path: '', message: error.message }
    throw error
  }
}

interface State {
  root: JsonSchema
  steps: number
  maxSteps: number
  maxDepth: number
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isObject(value)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`
  return text
}

function issue(path: readonly (string | number)[], message: string): JsonSchemaIssue {
  return { path: formatPath(path), message }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'object':
      return isObject(value)
    default:
      return typeOf(value) === type
  }
}

/** Equality of JSON values (object key order does not matter), as `const`, `enum` and `uniqueItems` need. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
    )
  }
  return false
}

function resolveRef(ref: unknown, state: State): JsonSchema | undefined {
  if (typeof ref !== 'string') return undefined
  if (ref === '#') return state.root
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref)
  if (!match || typeof state.root !== 'object') return undefined
  const defs = state.root[match[1] as string]
  const name = (match[2] as string).replace(/~1/g, '/').replace(/~0/g, '~')
  const target = isObject(defs) && Object.hasOwn(defs, name) ? defs[name] : undefined
  return isSchema(target) ? target : undefined
}

function check(
  schema: JsonSchema,
  value: unknown,
  path: (string | number)[],
  depth: number,
  state: State,
): JsonSchemaIssue | undefined {
  state.steps += 1
  if (state.steps > state.maxSteps)
    throw new LimitExceeded(`the schema needs more than ${state.maxSteps} checks`)
  if (depth > state.maxDepth) throw new LimitExceeded(`the schema nests deeper than ${state.maxDepth} levels`)
  if (schema === true) return undefined
  if (schema === false) return issue(path, 'no value is allowed here')
  const next = (sub: unknown, item: unknown, at: (string | number)[]): JsonSchemaIssue | undefined =>
    isSchema(sub) ? check(sub, item, at, depth + 1, state) : issue(at, 'the schema here is not a JSON Schema')

  if (schema.$ref !== undefined) {
    const target = resolveRef(schema.$ref, state)
    if (target === undefined) return issue(path, `cannot resolve $ref ${JSON.stringify(schema.$ref)}`)
    const found = next(target, value, path)
    if (found) return found
  }

  const typeIssue = checkType(schema, value, path)
  if (typeIssue) return typeIssue
  if (schema.const !== undefined && !jsonEqual(schema.const, value)) {
    return issue(path, `must be ${JSON.stringify(schema.const)}`)
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => jsonEqual(option, value))) {
    return issue(path, `must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`)
  }

  const local =
    (typeof value === 'string' && checkString(schema, value, path)) ||
    (typeof value === 'number' && checkNumber(schema, value, path)) ||
    (Array.isArray(value) && checkArray(schema, value, path, next)) ||
    (isObject(value) && checkObject(schema, value, path, next)) ||
    undefined
  if (local) return local

  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) {
      const found = next(sub, value, path)
      if (found) return found
    }
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub) => next(sub, value, path) === undefined)) {
    return issue(path, 'matches none of the anyOf schemas')
  }
  if (Array.isArray(schema.oneOf)) {
    const matches = schema.oneOf.filter((sub) => next(sub, value, path) === undefined).length
    if (matches !== 1) return issue(path, `matches ${matches} of the oneOf schemas instead of exactly one`)
  }
  if (schema.not !== undefined && next(schema.not, value, path) === undefined) {
    return issue(path, 'matches the schema in "not"')
  }
  return undefined
}

function checkType(schema: SchemaObject, value: unknown, path: (string | number)[]) {
  if (schema.type === undefined) return undefined
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  for (const type of types) {
    if (typeof type !== 'string' || !TYPES.has(type)) {
      return issue(path, `the schema has an unknown type ${JSON.stringify(type)}`)
    }
  }
  if (types.some((type) => hasType(value, type as string))) return undefined
  return issue(path, `must be of type ${types.join(' or ')}, got ${typeOf(value)}`)
}

function limit(schema: SchemaObject, keyword: string): number | undefined {
  const value = schema[keyword]
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function checkString(schema: SchemaObject, value: string, path: (string | number)[]) {
  const min = limit(schema, 'minLength')
  const max = limit(schema, 'maxLength')
  if (min === undefined && max === undefined) return undefined
  const length = [...value].length // code points, as JSON Schema counts
  if (min !== undefined && length < min) return issue(path, `must be at least ${min} characters long`)
  if (max !== undefined && length > max) return issue(path, `must be at most ${max} characters long`)
  return undefined
}

function checkNumber(schema: SchemaObject, value: number, path: (string | number)[]) {
  const minimum = limit(schema, 'minimum')
  const maximum = limit(schema, 'maximum')
  const exclusiveMinimum = limit(schema, 'exclusiveMinimum')
  const exclusiveMaximum = limit(schema, 'exclusiveMaximum')
  const multipleOf = limit(schema, 'multipleOf')
  if (minimum !== undefined && value < minimum) return issue(path, `must be >= ${minimum}`)
  if (maximum !== undefined && value > maximum) return issue(path, `must be <= ${maximum}`)
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) {
    return issue(path, `must be > ${exclusiveMinimum}`)
  }
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum) {
    return issue(path, `must be < ${exclusiveMaximum}`)
  }
  if (multipleOf !== undefined && multipleOf > 0) {
    const quotient = value / multipleOf
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9)
      return issue(path, `must be a multiple of ${multipleOf}`)
  }
  return undefined
}

type Next = (sub: unknown, item: unknown, at: (string | number)[]) => JsonSchemaIssue | undefined

function checkArray(schema: SchemaObject, value: unknown[], path: (string | number)[], next: Next) {
  const minItems = limit(schema, 'minItems')
  const maxItems = limit(schema, 'maxItems')
  if (minItems !== undefined && value.length < minItems)
    return issue(path, `must have at least ${minItems} items`)
  if (maxItems !== undefined && value.length > maxItems)
    return issue(path, `must have at most ${maxItems} items`)
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
  for (const [index, sub] of prefix.entries()) {
    if (index >= value.length) break
    const found = next(sub, value[index], [...path, index])
    if (found) return found
  }
  if (schema.items !== undefined) {
    for (let index = prefix.length; index < value.length; index++) {
      const found = next(schema.items, value[index], [...path, index])
      if (found) return found
    }
  }
  if (schema.uniqueItems === true) {
    for (let i = 0; i < value.length; i++) {
      for (let j = i + 1; j < value.length; j++) {
        if (jsonEqual(value[i], value[j])) return issue(path, `items ${i} and ${j} are equal`)
      }
    }
  }
  return undefined
}

function checkObject(
  schema: SchemaObject,
  value: Record<string, unknown>,
  path: (string | number)[],
  next: Next,
) {
  const keys = Object.keys(value)
  const minProperties = limit(schema, 'minProperties')
  const maxProperties = limit(schema, 'maxProperties')
  if (minProperties !== undefined && keys.length < minProperties) {
    return issue(path, `must have at least ${minProperties} properties`)
  }
  if (maxProperties !== undefined && keys.length > maxProperties) {
    return issue(path, `must have at most ${maxProperties} properties`)
  }
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === 'string' && !Object.hasOwn(value, name)) {
        return issue(path, `missing required property ${JSON.stringify(name)}`)
      }
    }
  }
  const properties = isObject(schema.properties) ? schema.properties : {}
  // Keys that `patternProperties` would match are not "additional"; without applying the patterns, the
  // additionalProperties rule cannot be applied either.
  const additional = schema.patternProperties === undefined ? schema.additionalProperties : undefined
  for (const key of keys) {
    const at = [...path, key]
    if (Object.hasOwn(properties, key)) {
      const found = next(properties[key], value[key], at)
      if (found) return found
    } else if (additional === false) {
      return issue(at, 'is not an allowed property')
    } else if (isObject(additional)) {
      const found = next(additional, value[key], at)
      if (found) return found
    }
  }
  return undefined
}
