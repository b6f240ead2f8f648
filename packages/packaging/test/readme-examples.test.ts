// Each public package installs on its own and its README's first example runs: the package is packed, installed
// with npm from its tarball (and the tarballs of the @open402 packages it needs: none is on the registry) into an
// empty project outside the repo, and the first example runs there with tsx, so every import resolves from that
// project's node_modules. Examples run one at a time: some listen on fixed ports.
//
// Special cases, by the README's first code block:
// - TypeScript (most): written to example.ts, run with `node --import tsx`; it must exit 0. What it imports
//   is what gets installed, at the ranges the workspace tests with.
// - TypeScript that names its file `// <path>.test.ts` (scheme-kit): a test file, run by the vitest the
//   project installs (vitest is the package's peer).
// - next: a shell `npm install` line, then a route module (`// app/api/weather/route.ts`): the line's packages are
//   installed, and a small script imports the route and calls its GET without a payment. It must not run the
//   handler: 402 when x402.org answers, 503 (facilitator unreachable) where it cannot be reached, as in CI.
// - cli: a shell block (`open402 inspect '…'`) followed by the text it prints: the installed `open402` binary
//   runs the command and must print that text.
// - facilitator: a shell block that starts a devnet and the facilitator with npx, then curls it: the installed
//   binaries run with the README's arguments (the devnet's facilitator key in OPEN402_EVM_PRIVATE_KEYS), every
//   curl'd URL must answer 200, and both must exit 0 on SIGTERM.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startLongRunning } from './support/long-running.js'
import { type PackedPackage, type PackedWorkspace, packedWorkspace } from './support/packed-packages.js'
import {
  emptyProject,
  importedPackageNames,
  installSpecs,
  npmInstall,
  readmeBlocks,
  run,
} from './support/readme-example.js'
import { publicPackages, TSX_LOADER } from './support/workspace.js'

const RUN_TIMEOUT_MS = 120_000
let workspace: PackedWorkspace
const timings: string[] = []

beforeAll(async () => {
  workspace = await packedWorkspace()
  if (workspace.buildSeconds > 0) timings.push(`build and pack: ${workspace.buildSeconds} s`)
}, 900_000)

afterAll(() => console.log(`README examples:\n${timings.join('\n')}`))

async function inEmptyProject(pkg: PackedPackage, names: string[], body: (dir: string) => Promise<void>) {
  const dir = emptyProject(pkg.dir)
  try {
    const install = await npmInstall(dir, installSpecs([pkg.manifest.name, ...names], pkg, workspace))
    const started = performance.now()
    await body(dir)
    timings.push(
      `${pkg.dir}: install ${(install.ms / 1000).toFixed(1)} s, run ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function runTypeScript(dir: string, file: string) {
  const result = await run(process.execPath, ['--import', TSX_LOADER, file], {
    cwd: dir,
    timeoutMs: RUN_TIMEOUT_MS,
  })
  expect({
    code: result.code,
    signal: result.signal,
    stderr: result.code === 0 ? '' : result.stderr,
  }).toEqual({
    code: 0,
    signal: null,
    stderr: '',
  })
  return result
}

/** The path a block names in its first line (`// app/api/weather/route.ts`), if any. */
const namedPath = (code: string) => /^\/\/ ([\w./<>-]+\.ts)\n/.exec(code)?.[1]

const specialCases: Record<string, (pkg: PackedPackage) => Promise<void>> = {
  async cli(pkg) {
    const [, printed] = readmeBlocks(pkg.dir)
    const header = /^open402 inspect '([^']+)'$/m.exec(readmeBlocks(pkg.dir)[0]?.code ?? '')?.[1]
    expect([header !== undefined, printed?.lang]).toEqual([true, 'text'])
    await inEmptyProject(pkg, [], async (dir) => {
      const result = await run(join(dir, 'node_modules/.bin/open402'), ['inspect', header as string], {
        cwd: dir,
        timeoutMs: RUN_TIMEOUT_MS,
      })
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: printed?.code })
    })
  },

  async facilitator(pkg) {
    const shell = (readmeBlocks(pkg.dir)[0]?.code ?? '').replace(/\\\n\s*/g, '')
    const devnetArgs = /^npx @open402\/devnet(.*)$/m.exec(shell)?.[1]?.trim().split(/\s+/).filter(Boolean)
    const facilitatorArgs = /npx @open402\/facilitator (.*)$/m.exec(shell)?.[1]?.trim().split(/\s+/)
    const urls = [...shell.matchAll(/^curl (\S+)$/gm)].map((m) => m[1] as string)
    expect([devnetArgs !== undefined, facilitatorArgs !== undefined, urls.length > 0]).toEqual([
      true,
      true,
      true,
    ])
    await inEmptyProject(pkg, ['@open402/devnet'], async (dir) => {
      const devnet = startLongRunning(join(dir, 'node_modules/.bin/open402-devnet'), devnetArgs ?? [], dir)
      try {
        const description = JSON.parse(await devnet.firstLine(60_000)) as {
          evm: { accounts: { facilitator: { privateKey: string } } }
        }
        const facilitator = startLongRunning(
          join(dir, 'node_modules/.bin/open402-facilitator'),
          facilitatorArgs ?? [],
          dir,
          {
            OPEN402_EVM_PRIVATE_KEYS: description.evm.accounts.facilitator.privateKey,
          },
        )
        try {
          expect(JSON.parse(await facilitator.firstLine(60_000))).toEqual({ url: 'http://127.0.0.1:4020' })
          const statuses = await Promise.all(urls.map(async (url) => [url, (await fetch(url)).status]))
          expect(statuses).toEqual(urls.map((url) => [url, 200]))
        } finally {
          expect(await facilitator.stop()).toBe(0)
        }
      } finally {
        expect(await devnet.stop()).toBe(0)
      }
    })
  },

  async next(pkg) {
    const [install, route] = readmeBlocks(pkg.dir)
    const names = /^npm install (.+)$/m.exec(install?.code ?? '')?.[1]?.split(/\s+/) ?? []
    const path = namedPath(route?.code ?? '')
    expect([names.includes('@open402/next'), route?.lang, path]).toEqual([
      true,
      'ts',
      'app/api/weather/route.ts',
    ])
    await inEmptyProject(pkg, names, async (dir) => {
      mkdirSync(join(dir, dirname(path as string)), { recursive: true })
      writeFileSync(join(dir, path as string), route?.code ?? '')
      writeFileSync(
        join(dir, 'check.ts'),
        [
          `import { GET } from './${path}'`,
          "const response = await GET(new Request('http://localhost:3000/api/weather'), { params: Promise.resolve({}) })",
          'console.log(JSON.stringify({ status: response.status, body: await response.text() }))',
        ].join('\n'),
      )
      const { stdout } = await runTypeScript(dir, 'check.ts')
      const { status, body } = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
        status: number
        body: string
      }
      expect([402, 503]).toContain(status)
      expect(body).not.toContain('sunny')
    })
  },
}

describe.each(publicPackages().map((p) => p.dir))('%s', (dir) => {
  test("installs from its tarball alone and runs its README's first example", async () => {
    const pkg = workspace.packages.find((p) => p.dir === dir) as PackedPackage
    const special = specialCases[dir]
    if (special) return special(pkg)
    const first = readmeBlocks(dir)[0]
    expect(first?.lang).toBe('ts')
    const code = first?.code ?? ''
    const path = namedPath(code)?.replace('<your-scheme>', 'my-scheme')
    if (path?.endsWith('.test.ts')) {
      await inEmptyProject(pkg, importedPackageNames(code), async (project) => {
        mkdirSync(join(project, dirname(path)), { recursive: true })
        writeFileSync(join(project, path), code)
        const result = await run(join(project, 'node_modules/.bin/vitest'), ['run'], {
          cwd: project,
          timeoutMs: 300_000,
        })
        expect({ code: result.code, output: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual(
          { code: 0, output: '' },
        )
      })
      return
    }
    await inEmptyProject(pkg, importedPackageNames(code), async (project) => {
      writeFileSync(join(project, 'example.ts'), code)
      await runTypeScript(project, 'example.ts')
    })
  }, 900_000)
})
