import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { CACHE_ROOT, type PackedWorkspace } from './packed-packages.js'
import { open402Closure, REPO_ROOT, type WorkspacePackage } from './workspace.js'

export interface CodeBlock {
  lang: string
  code: string
}

/** The fenced code blocks of a package's README.md, in order. */
export function readmeBlocks(dir: string): CodeBlock[] {
  const readme = readFileSync(join(REPO_ROOT, 'packages', dir, 'README.md'), 'utf8')
  return [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? '',
    code: m[2] ?? '',
  }))
}

/** Package names a TypeScript example imports (not node: built-ins, not relative paths). */
export function importedPackageNames(code: string): string[] {
  const names = new Set<string>()
  for (const match of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)) {
    const specifier = (match[1] ?? match[2]) as string
    if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
    const parts = specifier.split('/')
    names.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string))
  }
  return [...names]
}

/**
 * What `npm install` gets for a set of packages: tarballs for @open402 ones (with their @open402 dependencies:
 * none is on the registry) and `name@range` for the others, the range being the one the workspace tests with.
 */
export function installSpecs(names: string[], owner: WorkspacePackage, workspace: PackedWorkspace): string[] {
  const specs = new Set<string>()
  for (const name of names) {
    if (name.startsWith('@open402/')) {
      for (const dep of open402Closure(name, workspace.packages)) {
        specs.add((workspace.byName.get(dep) as { tarball: string }).tarball)
      }
      continue
    }
    specs.add(`${name}@${workspaceRange(name, owner, workspace.packages)}`)
  }
  return [...specs]
}

function workspaceRange(name: string, owner: WorkspacePackage, packages: WorkspacePackage[]): string {
  const { peerDependencies, devDependencies } = owner.manifest
  const own = peerDependencies?.[name] ?? devDependencies?.[name]
  if (own !== undefined) return own
  for (const { manifest } of packages) {
    const range = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]
    if (range !== undefined && !range.startsWith('workspace:')) return range
  }
  return 'latest'
}

export const NPM_CACHE = join(CACHE_ROOT, 'npm-cache')

/** An empty npm project in the system's temp folder, far from the workspace's node_modules. */
export function emptyProject(name: string): string {
  mkdirSync(CACHE_ROOT, { recursive: true })
  const dir = mkdtempSync(join(CACHE_ROOT, `readme-${name}-`))
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `readme-${name}`, private: true, type: 'module' }, null, 2)}\n`,
  )
  return dir
}

export interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

/** Runs a command in its own process group; on timeout the whole group is killed. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<Run> {
  const started = performance.now()
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  delete env.NODE_OPTIONS // vitest's own loader options are not the user's
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, options.timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) })
    })
  })
}

/**
 * The prefix whose include/node headers match the running Node, for node-gyp's `nodedir`: native addons
 * (better-sqlite3) then compile offline instead of downloading headers (as .pnpmfile.mjs does for pnpm).
 */
function localNodeHeaders(): string | undefined {
  const prefix = dirname(dirname(process.execPath))
  const header = join(prefix, 'include', 'node', 'node_version.h')
  if (!existsSync(header)) return undefined
  const text = readFileSync(header, 'utf8')
  const part = (name: string) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1]
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.versions.node ? prefix : undefined
}

/** `npm install` into the project, with one npm cache shared by every run (and kept between runs). */
export async function npmInstall(dir: string, specs: string[]): Promise<Run> {
  const nodedir = process.env.npm_config_nodedir || localNodeHeaders()
  const result = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', NPM_CACHE, ...specs],
    { cwd: dir, timeoutMs: 300_000, ...(nodedir ? { env: { npm_config_nodedir: nodedir } } : {}) },
  )
  if (result.code !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${result.stderr}`)
  return result
}
