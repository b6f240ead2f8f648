// Builds the API reference of every public package into docs/reference/ (HTML, not committed):
// tsx scripts/build-reference.ts [out-dir]. Entry points are each package's `exports` (the `@open402/source` file of
// `.` and of each subpath), read from its package.json; a warning fails the build.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  Application,
  type Context,
  Converter,
  type DeclarationReflection,
  type Reflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from 'typedoc'
import ts from 'typescript'

const root = fileURLToPath(new URL('../', import.meta.url))

interface PackageJson {
  name: string
  private?: boolean
  exports?: Record<string, string | Record<string, string>>
}

/** Entry file (absolute) → the import path it is published as, e.g. `@open402/evm/client`. */
function entryPoints(): Map<string, string> {
  const entries = new Map<string, string>()
  for (const directory of readdirSync(`${root}packages`).sort()) {
    let manifest: PackageJson
    try {
      manifest = JSON.parse(readFileSync(`${root}packages/${directory}/package.json`, 'utf8'))
    } catch {
      continue
    }
    if (manifest.private) continue
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'object' ? target['@open402/source'] : undefined
      if (!source) continue
      const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`
      entries.set(`${root}packages/${directory}/${source.replace(/^\.\//, '')}`, name)
    }
  }
  return entries
}

/** Whether the declaration behind `reflection` (or its nearest declared ancestor) is in a dependency. */
function fromDependency(context: Context, reflection: Reflection): boolean {
  for (let current: Reflection | undefined = reflection; current; current = current.parent) {
    const declarations = context.getSymbolFromReflection(current)?.declarations
    if (declarations?.length) {
      return declarations.every((declaration) =>
        declaration.getSourceFile().fileName.includes('/node_modules/'),
      )
    }
  }
  return false
}

const entries = entryPoints()
const app = await Application.bootstrapWithPlugins(
  {
    options: `${root}docs/typedoc.json`,
    entryPoints: [...entries.keys()],
    ...(process.argv[2] ? { out: process.argv[2] } : {}),
  },
  [new TypeDocReader(), new TSConfigReader()],
)

// Name each module by its import path rather than its folder (`evm/src/client`).
app.converter.on(
  Converter.EVENT_CREATE_DECLARATION,
  (context: Context, reflection: DeclarationReflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return
    const file = context.getSymbolFromReflection(reflection)?.declarations?.find(ts.isSourceFile)?.fileName
    const name = file && entries.get(file)
    if (name) reflection.name = name
  },
)

// Types we expose can inline a dependency's (viem's client methods); their comments link to symbols of that
// dependency, which are not documented here. Those comments are the dependency's to document.
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context: Context) => {
  for (const reflection of Object.values(context.project.reflections)) {
    if (reflection.comment && fromDependency(context, reflection)) reflection.comment = undefined
  }
})

const project = await app.convert()
if (!project) process.exit(1)
app.validate(project)
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('API reference not written: fix the warnings above')
  process.exit(1)
}
await app.generateOutputs(project)
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1)
console.log(`API reference of ${entries.size} entry points written to ${app.options.getValue('out')}`)
