import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { z } from 'zod'
import * as discovery from '../src/extensions/bazaar-discovery-api.js'
import * as wire from '../src/schemas/index.js'

/** Base of every schema's `$id`: `<base><name>.json`, one namespace per x402 protocol version. */
export const SCHEMA_ID_BASE = 'https://open402.dev/schemas/v2/'

/** The generated files: file name (without `.json`) → the type it describes, its zod schema, its source. */
export const WIRE_SCHEMAS = [
  { name: 'payment-required', type: 'PaymentRequired', schema: wire.PaymentRequiredSchema },
  { name: 'payment-requirements', type: 'PaymentRequirements', schema: wire.PaymentRequirementsSchema },
  { name: 'resource-info', type: 'ResourceInfo', schema: wire.ResourceInfoSchema },
  { name: 'payment-payload', type: 'PaymentPayload', schema: wire.PaymentPayloadSchema },
  { name: 'verify-request', type: 'VerifyRequest', schema: wire.VerifyRequestSchema },
  { name: 'settle-request', type: 'SettleRequest', schema: wire.SettleRequestSchema },
  { name: 'verify-response', type: 'VerifyResponse', schema: wire.VerifyResponseSchema },
  { name: 'settle-response', type: 'SettleResponse', schema: wire.SettleResponseSchema },
  { name: 'supported-kind', type: 'SupportedKind', schema: wire.SupportedKindSchema },
  { name: 'supported-response', type: 'SupportedResponse', schema: wire.SupportedResponseSchema },
  { name: 'discovery-resource', type: 'DiscoveryResource', schema: discovery.DiscoveryResourceSchema },
  {
    name: 'discovery-resources-response',
    type: 'DiscoveryResourcesResponse',
    schema: discovery.DiscoveryResourcesResponseSchema,
  },
] as const

// The TSDoc of the wire types is the one source of their descriptions: read here from the sources, it
// becomes each JSON Schema's `description` and each property's, so no sentence is written twice.
const SOURCES = [
  '../src/schemas/payment-required.ts',
  '../src/schemas/payment-payload.ts',
  '../src/schemas/facilitator.ts',
  '../src/extensions/bazaar-discovery-api.ts',
]
const EXPORTS: Record<string, unknown> = { ...wire, ...discovery }

interface SourceDocs {
  /** Exported name (type or const) → its TSDoc as plain text. */
  declarations: Map<string, string>
  /** Object schema (by identity) → property name → the property's TSDoc as plain text. */
  properties: Map<unknown, Record<string, string>>
}

/** TSDoc as plain text: `{@link url | label}` becomes `label: url`, `{@link Name}` becomes `Name`. */
function plainText(jsDoc: string): string {
  return jsDoc
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trim())
    .join(' ')
    .replace(/\{@link\s+(\S+)\s*\|\s*([^}]+?)\s*\}/g, '$2: $1')
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
}

function docOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const jsDoc = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).at(-1)
  return jsDoc ? plainText(jsDoc.getText(source)) : undefined
}

/** The `{ … }` passed to `z.looseObject` / `z.object` in a schema expression such as `z.looseObject({…}).refine(…)`. */
function objectShape(node: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(node)) return undefined
  const callee = node.expression
  if (ts.isPropertyAccessExpression(callee)) {
    const [argument] = node.arguments
    if (/^(looseObject|object|strictObject)$/.test(callee.name.text) && argument) {
      return ts.isObjectLiteralExpression(argument) ? argument : undefined
    }
    return objectShape(callee.expression)
  }
  return undefined
}

function readSourceDocs(): SourceDocs {
  const docs: SourceDocs = { declarations: new Map(), properties: new Map() }
  for (const path of SOURCES) {
    const url = new URL(path, import.meta.url)
    const source = ts.createSourceFile(url.pathname, readFileSync(url, 'utf8'), ts.ScriptTarget.Latest, true)
    for (const statement of source.statements) {
      if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
        const doc = docOf(statement, source)
        if (doc) docs.declarations.set(statement.name.text, doc)
      }
      if (!ts.isVariableStatement(statement)) continue
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue
        const name = declaration.name.text
        const doc = docOf(statement, source)
        if (doc) docs.declarations.set(name, doc)
        const shape = objectShape(declaration.initializer)
        if (!shape || !(name in EXPORTS)) continue
        const fields: Record<string, string> = {}
        for (const property of shape.properties) {
          const fieldDoc = docOf(property, source)
          if (property.name && ts.isIdentifier(property.name) && fieldDoc)
            fields[property.name.text] = fieldDoc
        }
        docs.properties.set(EXPORTS[name], fields)
      }
    }
  }
  return docs
}

type JsonSchema = Record<string, unknown>

/**
 * The JSON Schema (draft 2020-12) of every V2 wire type, by file name: what a document must look like to
 * be accepted by the zod schema of the same type (`io: 'input'`: defaults make fields optional).
 */
export function renderJsonSchemas(): Map<string, JsonSchema> {
  const docs = readSourceDocs()
  const files = new Map<string, JsonSchema>()
  for (const { name, type, schema } of WIRE_SCHEMAS) {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      override: ({ zodSchema, jsonSchema }) => {
        const fields = docs.properties.get(zodSchema)
        const properties = jsonSchema.properties
        if (!fields || !properties) return
        for (const [key, description] of Object.entries(fields)) {
          const property = properties[key]
          // A fresh object: an inlined schema may be shared by two properties with different descriptions.
          if (property && typeof property === 'object') properties[key] = { description, ...property }
        }
      },
    })
    const description = docs.declarations.get(type) ?? docs.declarations.get(`${type}Schema`)
    if (!description) throw new Error(`${type} has no TSDoc to describe ${name}.json`)
    files.set(name, {
      $schema: json.$schema,
      $id: `${SCHEMA_ID_BASE}${name}.json`,
      title: type,
      description,
      ...json,
    })
  }
  return files
}
