// The packed tarballs as a registry would serve them: the exports map resolves for ESM and CJS with types
// (publint, @arethetypeswrong/core), and the built files import only what the package declares.
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { beforeAll, describe, expect, test } from 'vitest'
import { type PackedPackage, type PackedWorkspace, packedWorkspace } from './support/packed-packages.js'
import { publicPackages } from './support/workspace.js'

let workspace: PackedWorkspace
beforeAll(async () => {
  workspace = await packedWorkspace()
  if (workspace.buildSeconds > 0) console.log(`built and packed in ${workspace.buildSeconds} s`)
}, 900_000)

const packed = (name: string): PackedPackage => {
  const pkg = workspace.byName.get(name)
  if (pkg === undefined) throw new Error(`${name} was not packed`)
  return pkg
}

const PACKAGE_SPECIFIER = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.@/-]*)?$/

/** Bare module names the built JavaScript imports or requires. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>()
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(c|m)?js$/.test(f))
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g
  for (const file of files) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(pattern)) {
      const specifier = match[1] as string
      if (!PACKAGE_SPECIFIER.test(specifier)) continue // text that only looks like an import
      if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string))
        continue
      const parts = specifier.split('/')
      names.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string))
    }
  }
  return names
}

describe.each(publicPackages().map((p) => p.manifest.name))('%s', (name) => {
  test('publint finds no error or warning in the tarball', async () => {
    const tarball = readFileSync(packed(name).tarball)
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'warning', // suggestions (engines.node) are reported, not enforced
    })
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([])
  })

  test('types resolve for ESM and CJS under node16 and bundler resolution (are the types wrong)', async () => {
    const result = await checkPackage(
      createPackageFromTarballData(new Uint8Array(readFileSync(packed(name).tarball))),
    )
    const manifest = packed(name).manifest
    if (!result.types) {
      // A command only (the cli): no exports map, nothing to import.
      expect([manifest.exports, manifest.bin !== undefined]).toEqual([undefined, true])
      return
    }
    // node10 (moduleResolution "node") cannot see subpath exports at all; TypeScript users on it are out of
    // scope, as for every package that has subpaths without typesVersions.
    const problems = result.problems.filter(
      (problem) => !('resolutionKind' in problem) || problem.resolutionKind !== 'node10',
    )
    expect(problems).toEqual([])
  })

  test('its built files import only its dependencies, peers and Node built-ins', () => {
    const { manifest, unpacked } = packed(name)
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }))
    const undeclared = [...importedPackages(join(unpacked, 'dist'))].filter((dep) => !declared.has(dep))
    expect(undeclared).toEqual([])
  })

  test('the tarball holds the README, the built entry points and no test file', () => {
    const { unpacked } = packed(name)
    const files = readdirSync(unpacked, { recursive: true, encoding: 'utf8' })
    expect(files).toContain('README.md')
    expect(files.filter((file) => /\.test\.ts$|(^|\/)test\//.test(file))).toEqual([])
    expect(files.some((file) => /^dist\/.+\.js$/.test(file))).toBe(true)
  })
})
