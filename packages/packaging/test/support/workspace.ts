import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, found from this file (packages/packaging/test/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')

/** tsx's ESM loader from the workspace: `node --import <it> file.ts` runs TypeScript outside the repo. */
export const TSX_LOADER = join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs')

export interface Manifest {
  name: string
  version: string
  private?: boolean
  bin?: Record<string, string> | string
  files?: string[]
  exports?: unknown
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  devDependencies?: Record<string, string>
}

export interface WorkspacePackage {
  /** The folder under packages/, e.g. `hono`. */
  dir: string
  manifest: Manifest
}

/** packages/scheme-kit is written by another change; it counts once it has an entry point. */
const IN_PROGRESS: Record<string, string> = { 'scheme-kit': 'src/index.ts' }

/** Every package under packages/ that is published: no `"private": true`. */
export function publicPackages(): WorkspacePackage[] {
  const packagesDir = join(REPO_ROOT, 'packages')
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => ({
      dir: entry.name,
      manifest: JSON.parse(readFileSync(join(packagesDir, entry.name, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter(({ dir, manifest }) => {
      if (manifest.private === true) return false
      const needed = IN_PROGRESS[dir]
      return needed === undefined || existsSync(join(packagesDir, dir, needed))
    })
    .sort((a, b) => a.dir.localeCompare(b.dir))
}

/** The @open402 packages `name` needs at run time, itself included, in dependency order is not implied. */
export function open402Closure(name: string, packages: WorkspacePackage[]): string[] {
  const byName = new Map(packages.map((p) => [p.manifest.name, p.manifest]))
  const seen = new Set<string>()
  const visit = (current: string) => {
    if (seen.has(current)) return
    const manifest = byName.get(current)
    if (manifest === undefined) throw new Error(`${current} is not a public workspace package`)
    seen.add(current)
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (dep.startsWith('@open402/')) visit(dep)
    }
  }
  visit(name)
  return [...seen]
}
