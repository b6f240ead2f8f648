import { type DiscoveryExtension, DiscoveryInfoEnvelopeSchema, parseDiscoveryInput } from './bazaar-info.js'
import { type JsonSchemaLimits, validateJsonSchema } from './bazaar-json-schema.js'

/** The outcome of {@link validateDiscoveryExtension}: the declaration, or why it cannot be cataloged. */
export type DiscoveryValidation = { ok: true; extension: DiscoveryExtension } | { ok: false; reason: string }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Validates an `extensions.bazaar` declaration as a facilitator must before cataloging it
 * (extensions/bazaar.md "Schema Validation"): `info` must match its own `schema` (JSON Schema 2020-12),
 * the schema must require `input`, and `info` must have one of the spec's shapes (an HTTP query or body
 * method, or an MCP tool), because a schema written by the sender alone proves nothing. The reason of a
 * rejection names the field.
 * @example validateDiscoveryExtension(payload.extensions?.bazaar) // { ok: false, reason: 'info failed schema validation: input.queryParams: missing required property "city"' }
 */
export function validateDiscoveryExtension(value: unknown, limits?: JsonSchemaLimits): DiscoveryValidation {
  if (!isObject(value))
    return { ok: false, reason: 'the bazaar extension must be an object { info, schema }' }
  const { info, schema, routeTemplate } = value
  if (!isObject(info)) return { ok: false, reason: 'info: must be an object' }
  if (!isObject(schema)) return { ok: false, reason: 'schema: must be a JSON Schema object' }
  const required = Array.isArray(schema.required) ? schema.required : []
  const properties = isObject(schema.properties) ? schema.properties : {}
  if (!required.includes('input') || !Object.hasOwn(properties, 'input')) {
    return { ok: false, reason: 'schema: must define and require the "input" property' }
  }
  const envelope = DiscoveryInfoEnvelopeSchema.safeParse(info)
  if (!envelope.success) {
    const issue = envelope.error.issues[0]
    return { ok: false, reason: `info.${issue?.path.join('.')}: ${issue?.message}` }
  }
  const input = parseDiscoveryInput(info.input)
  if (!input.ok) return input
  const issue = validateJsonSchema(schema, info, limits)
  if (issue) {
    const where = issue.path === '' ? '' : `${issue.path}: `
    return { ok: false, reason: `info failed schema validation: ${where}${issue.message}` }
  }
  const extension: DiscoveryExtension = { info: { ...envelope.data, input: input.value }, schema }
  if (typeof routeTemplate === 'string') extension.routeTemplate = routeTemplate
  return { ok: true, extension }
}
