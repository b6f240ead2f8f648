// Builds and packs every public package once, into a folder named by a hash of their inputs, so the test
// files of this package (which vitest runs in parallel processes) and later runs with unchanged sources share
// one build. The first process to create the folder builds; the others wait for its `ready.json`.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { publicPackages, REPO_ROOT, type WorkspacePackage } from './workspace.js'

export const CACHE_ROOT = join(tmpdir(), 'open402-packaging')

export interface PackedPackage extends WorkspacePackage {
  /** Absolute path of the tarball made by `pnpm pack`. */
  tarball: string
  /** The tarball's contents, unpacked (its `package/` folder). */
  unpacked: string
}

export interface PackedWorkspace {
  packages: PackedPackage[]
  byName: Map<string, PackedPackage>
  /** Seconds the build and the packing took, or 0 when an earlier run's packs were reused. */
  buildSeconds: number
}

interface Ready {
  tarballs: Record<string, string>
  buildSeconds: number
}

/** Files whose content decides what the tarballs hold: sources, manifests, READMEs and the shared build setup. */
function inputsHash(packages: WorkspacePackage[]): string {
  const listed = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', ...packages.map((p) => `packages/${p.dir}`)],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  )
  const files = listed
    .split('\n')
    .filter((file) => file !== '' && !/\/test\/|\.test\.ts$|\.bench\.ts$/.test(file))
    .concat(['tsup.base.ts', 'tsconfig.base.json', 'pnpm-lock.yaml'])
    .sort()
  const hash = createHash('sha256')
  for (const file of files) {
    const path = join(REPO_ROOT, file)
    if (!existsSync(path)) continue
    hash.update(file).update('\0').update(readFileSync(path)).update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function buildAndPack(packages: WorkspacePackage[], dir: string): Ready {
  const started = performance.now()
  const filters = packages.flatMap((p) => ['--filter', p.manifest.name])
  execFileSync('pnpm', ['-r', ...filters, 'run', 'build'], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
    maxBuffer: 1 << 26,
  })
  const tarballs: Record<string, string> = {}
  const packsDir = join(dir, 'tarballs')
  mkdirSync(packsDir, { recursive: true })
  for (const pkg of packages) {
    const before = new Set(readdirSync(packsDir))
    execFileSync('pnpm', ['pack', '--pack-destination', packsDir], {
      cwd: join(REPO_ROOT, 'packages', pkg.dir),
      stdio: 'pipe',
    })
    const made = readdirSync(packsDir).filter((file) => !before.has(file))
    if (made.length !== 1)
      throw new Error(`pnpm pack of ${pkg.manifest.name} made ${made.join(', ') || 'nothing'}`)
    const tarball = join(packsDir, made[0] as string)
    const unpacked = join(dir, 'unpacked', pkg.dir)
    mkdirSync(unpacked, { recursive: true })
    execFileSync('tar', ['xzf', tarball, '-C', unpacked])
    tarballs[pkg.manifest.name] = tarball
  }
  return { tarballs, buildSeconds: Math.round((performance.now() - started) / 100) / 10 }
}

/** Builds (`pnpm -r --filter … run build`) and packs (`pnpm pack`) every public package, once per sources. */
export async function packedWorkspace(): Promise<PackedWorkspace> {
  const packages = publicPackages()
  const dir = join(CACHE_ROOT, `packs-${inputsHash(packages)}`)
  const readyFile = join(dir, 'ready.json')
  const ownerFile = join(dir, 'owner.pid')
  let buildSeconds = 0
  for (;;) {
    if (existsSync(readyFile)) break
    mkdirSync(CACHE_ROOT, { recursive: true })
    let owner = false
    try {
      mkdirSync(dir)
      owner = true
    } catch {
      const pid = Number(existsSync(ownerFile) ? readFileSync(ownerFile, 'utf8') : Number.NaN)
      if (Number.isInteger(pid) && !isAlive(pid)) rmSync(dir, { recursive: true, force: true }) // died mid-build
      await sleep(1000)
      continue
    }
    if (owner) {
      writeFileSync(ownerFile, String(process.pid))
      try {
        const ready = buildAndPack(packages, dir)
        buildSeconds = ready.buildSeconds
        writeFileSync(readyFile, JSON.stringify(ready))
      } catch (error) {
        rmSync(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
  for (const other of readdirSync(CACHE_ROOT).filter(
    (d) => d.startsWith('packs-') && join(CACHE_ROOT, d) !== dir,
  )) {
    const pidFile = join(CACHE_ROOT, other, 'owner.pid')
    const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : Number.NaN)
    if (!isAlive(pid)) rmSync(join(CACHE_ROOT, other), { recursive: true, force: true }) // packs of older sources
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as Ready
  const packed = packages.map((pkg) => {
    const tarball = ready.tarballs[pkg.manifest.name]
    if (tarball === undefined) throw new Error(`no tarball for ${pkg.manifest.name}`)
    return { ...pkg, tarball, unpacked: join(dir, 'unpacked', pkg.dir, 'package') }
  })
  return { packages: packed, byName: new Map(packed.map((p) => [p.manifest.name, p])), buildSeconds }
}
