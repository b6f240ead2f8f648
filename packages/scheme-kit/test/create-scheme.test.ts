// `pnpm create-scheme <name>` (scripts/create-scheme.ts) writes a scheme package that works out of the box:
// this runs the script as a subprocess into a temporary directory, then runs the generated package's own
// tests (the conformance kit among them) with vitest and typechecks it with tsc, both in child processes
// that see the workspace's @open402/core and @open402/scheme-kit through symlinks, as pnpm links them.
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const SCRIPT = join(REPO_ROOT, 'scripts', 'create-scheme.ts')
const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const BIOME = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome')
const VITEST_DIR = realpathSync(join(REPO_ROOT, 'packages', 'scheme-kit', 'node_modules', 'vitest'))

const NAME = 'pay-per-byte'
/** The cases runSchemeConformance registers (src/cases/*.ts): supported 2, valid payment 2, refusals 8, replay 3. */
const KIT_CASES = 15

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node args…` in `cwd` with an environment free of this vitest run's own variables. */
function runNode(args: string[], cwd: string, timeout = 60_000): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'),
  )
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd, timeout, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        done({ code, stdout, stderr })
      },
    )
  })
}

const createScheme = (args: string[], cwd = REPO_ROOT) => runNode([TSX, SCRIPT, ...args], cwd)

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

let temp: string
let packageDir: string
let created: Run

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'open402-create-scheme-'))
  packageDir = join(temp, `scheme-${NAME}`)
  created = await createScheme([NAME, '--dir', packageDir])
  // What `pnpm install` would link for the package (its dependencies, vitest, node's types, tsup).
  const link = (target: string, path: string) => {
    mkdirSync(dirname(join(temp, 'node_modules', path)), { recursive: true })
    symlinkSync(target, join(temp, 'node_modules', path), 'dir')
  }
  link(join(REPO_ROOT, 'packages', 'core'), '@open402/core')
  link(join(REPO_ROOT, 'packages', 'scheme-kit'), '@open402/scheme-kit')
  link(VITEST_DIR, 'vitest')
  link(realpathSync(join(REPO_ROOT, 'node_modules', '@types', 'node')), '@types/node')
  // The root vitest config's source condition, so @open402/* resolve to src/ as in the workspace.
  writeFileSync(
    join(temp, 'vitest.config.mjs'),
    `export default {
  resolve: { conditions: ['@open402/source'] },
  ssr: { resolve: { conditions: ['@open402/source'] } },
  test: { include: ['scheme-${NAME}/test/**/*.test.ts'], pool: 'forks' },
}
`,
  )
  // The package's own tsconfig minus tsup.config.ts, whose inferred type names the workspace's tsup by a
  // path that is only portable inside the workspace (`pnpm typecheck` covers it there, as for every package).
  writeFileSync(
    join(temp, 'tsconfig.check.json'),
    JSON.stringify({
      extends: `./scheme-${NAME}/tsconfig.json`,
      include: [`scheme-${NAME}/src`, `scheme-${NAME}/test`],
    }),
  )
})

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true })
})

describe('pnpm create-scheme <name> --dir <path>', () => {
  test('writes the package and prints the next steps', () => {
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toContain(`created @open402/scheme-${NAME} in ${packageDir}`)
    expect(created.stdout).toContain('pnpm install')
    expect(created.stdout).toContain(`pnpm vitest run ${packageDir}`)
  })

  test('the package.json is @open402/scheme-<name> with the exports pattern of packages/evm, on core and the kit', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
    const evm = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'evm', 'package.json'), 'utf8'))

    expect(manifest.name).toBe(`@open402/scheme-${NAME}`)
    expect(manifest.type).toBe('module')
    expect(Object.keys(manifest.exports)).toEqual(['.', './client', './server', './facilitator'])
    for (const entry of Object.keys(manifest.exports))
      expect(manifest.exports[entry]).toEqual(evm.exports[entry])
    expect(manifest.exports['./client']['@open402/source']).toBe('./src/client.ts')
    for (const entry of ['index', 'client', 'server', 'facilitator']) {
      expect(existsSync(join(packageDir, 'src', `${entry}.ts`)), `src/${entry}.ts`).toBe(true)
    }
    expect(manifest.dependencies).toEqual({ '@open402/core': 'workspace:*' })
    expect(manifest.devDependencies).toMatchObject({
      '@open402/scheme-kit': 'workspace:*',
      vitest: expect.any(String),
    })
    expect(manifest.scripts).toMatchObject({ typecheck: 'tsc --noEmit -p tsconfig.json', build: 'tsup' })
  })

  test('tsconfig.json and tsup.config.ts point at the repository root; no placeholder is left', () => {
    const tsconfig = JSON.parse(readFileSync(join(packageDir, 'tsconfig.json'), 'utf8'))
    expect(resolve(packageDir, tsconfig.extends)).toBe(join(REPO_ROOT, 'tsconfig.base.json'))
    const tsup = readFileSync(join(packageDir, 'tsup.config.ts'), 'utf8')
    const base = /from '(.+\/tsup\.base\.js)'/.exec(tsup)?.[1]
    expect(base && resolve(packageDir, base)).toBe(join(REPO_ROOT, 'tsup.base.js'))
    expect(tsup).toContain("'src/client.ts', 'src/server.ts', 'src/facilitator.ts'")

    const files = filesUnder(packageDir).map((file) => relative(packageDir, file))
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'test/scheme-kit.test.ts', `src/client/${NAME}-client.ts`]),
    )
    for (const file of files) {
      expect(file).not.toMatch(/__[A-Z]+__/)
      expect(readFileSync(join(packageDir, file), 'utf8'), file).not.toMatch(
        /__(NAME|CAMEL|PASCAL|SCREAMING|SNAKE|ROOT)__/,
      )
    }
    const kitTest = readFileSync(join(packageDir, 'test', 'scheme-kit.test.ts'), 'utf8')
    expect(kitTest).toContain('runSchemeConformance(')
    expect(kitTest).toContain('payPerByteClient({ account: payer })')
  })

  test("it is formatted and lint-clean under the repository's biome config", async () => {
    const run = await runNode(
      [BIOME, 'check', `--config-path=${REPO_ROOT}`, '--vcs-use-ignore-file=false', '.'],
      packageDir,
    )

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0)
    expect(created.stderr).toBe('')
  })

  test('its tests pass: every conformance case of the kit, a case per verify rule and the README example', async () => {
    const results = join(temp, 'results.json')
    const run = await runNode(
      [
        join(VITEST_DIR, 'vitest.mjs'),
        'run',
        '--root',
        temp,
        '--config',
        join(temp, 'vitest.config.mjs'),
        '--reporter=json',
        `--outputFile=${results}`,
      ],
      temp,
    )
    expect(existsSync(results), `${run.stdout}\n${run.stderr}`).toBe(true)
    const report = JSON.parse(readFileSync(results, 'utf8')) as {
      numFailedTests: number
      numPassedTests: number
      testResults: {
        name: string
        message?: string
        assertionResults: { title: string; status: string; failureMessages?: string[] }[]
      }[]
    }
    const failures = report.testResults.flatMap((file) => [
      ...(file.message ? [`${file.name}: ${file.message}`] : []),
      ...file.assertionResults
        .filter((result) => result.status !== 'passed')
        .map((result) => `${result.title}: ${result.failureMessages?.[0]?.split('\n')[0] ?? result.status}`),
    ])
    const byFile = Object.fromEntries(
      report.testResults.map((file) => [relative(packageDir, file.name), file.assertionResults]),
    )

    expect(failures, run.stderr.slice(-2000)).toEqual([])
    expect(report.numFailedTests).toBe(0)
    expect(run.code).toBe(0)
    expect(Object.keys(byFile).sort()).toEqual([
      'test/readme-example.test.ts',
      'test/scheme-kit.test.ts',
      'test/verify.test.ts',
    ])
    const kit = byFile['test/scheme-kit.test.ts'] ?? []
    expect(kit.filter((result) => result.status === 'passed')).toHaveLength(KIT_CASES)
    expect(kit.map((result) => result.title)).toContain(
      'a valid payment verifies, then settles once, moving exactly the amount from payer to payTo',
    )
    expect((byFile['test/verify.test.ts'] ?? []).every((result) => result.status === 'passed')).toBe(true)
    expect(report.numPassedTests).toBeGreaterThan(KIT_CASES + 10)
  })

  test('it typechecks (tsc --noEmit, strict, on the workspace sources of core and the kit)', async () => {
    const run = await runNode([TSC, '--noEmit', '-p', join(temp, 'tsconfig.check.json')], temp)

    expect(`${run.stdout}${run.stderr}`).toBe('')
    expect(run.code).toBe(0)
  })
})

describe('pnpm create-scheme refuses', () => {
  test.each([['Upper'], ['under_score'], ['9lives'], ['trailing-'], ['double--dash']])(
    'an invalid name %j, writing nothing',
    async (name) => {
      const dir = join(temp, `invalid-${name}`)
      const run = await createScheme([name, '--dir', dir])

      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`"${name}" is not a valid scheme name`)
      expect(existsSync(dir)).toBe(false)
    },
  )

  test('to write over an existing directory, and leaves it as it was', async () => {
    const dir = join(temp, 'existing')
    mkdirSync(dir)
    writeFileSync(join(dir, 'keep.txt'), 'mine')

    const run = await createScheme(['other', '--dir', dir])

    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`${dir} already exists`)
    expect(readdirSync(dir)).toEqual(['keep.txt'])
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine')
  })

  test('to write over a workspace package by default (create-scheme kit would be packages/scheme-kit)', async () => {
    const before = readdirSync(join(REPO_ROOT, 'packages', 'scheme-kit')).sort()

    const run = await createScheme(['kit'])

    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`${join(REPO_ROOT, 'packages', 'scheme-kit')} already exists`)
    expect(readdirSync(join(REPO_ROOT, 'packages', 'scheme-kit')).sort()).toEqual(before)
  })
})
