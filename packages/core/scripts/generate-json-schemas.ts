// Writes the JSON Schema of every V2 wire type to packages/core/schemas/, formatted by biome:
// pnpm --filter @open402/core generate:schemas (a test fails when the committed files are stale).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { renderJsonSchemas } from './json-schemas.js'

const directory = fileURLToPath(new URL('../schemas/', import.meta.url))
mkdirSync(directory, { recursive: true })
const files = renderJsonSchemas()
for (const stale of readdirSync(directory)) {
  if (stale.endsWith('.json') && !files.has(stale.slice(0, -'.json'.length))) rmSync(directory + stale)
}
for (const [name, schema] of files)
  writeFileSync(`${directory}${name}.json`, `${JSON.stringify(schema, null, 2)}\n`)

const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome')
execFileSync(process.execPath, [biome, 'format', '--write', directory], { stdio: 'inherit' })
console.log(`wrote ${files.size} JSON Schemas to ${directory}`)
