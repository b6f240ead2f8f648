// docs/adding-a-scheme.md stays true to the repository: every file it names exists, and every code excerpt
// marked `<!-- excerpt: path -->` is made of lines that are in that file (indentation aside: biome formats
// the guide's code blocks).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const GUIDE = readFileSync(join(REPO_ROOT, 'docs', 'adding-a-scheme.md'), 'utf8')
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.turbo', 'reference'])

/** Every file and directory of the repository (relative, `/`-separated; directories end with `/`). */
function repositoryEntries(dir = REPO_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return []
    const path = join(dir, entry.name)
    const name = relative(REPO_ROOT, path).split('\\').join('/')
    return entry.isDirectory() ? [`${name}/`, ...repositoryEntries(path)] : [name]
  })
}

const ENTRIES = repositoryEntries()
const TOP_LEVEL = /^(packages|scripts|docs|apps|\.changeset)\//
const FILE = /^[\w./-]+\.(ts|cjs|mjs|json|md|sol)$/

/** The repository paths the guide names: in backticks or as link targets, full or as a file's tail. */
function mentionedPaths(): string[] {
  const candidates = [
    ...[...GUIDE.matchAll(/`([^`\s]+)`/g)].map((match) => match[1] ?? ''),
    ...[...GUIDE.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? ''),
  ]
  const paths = candidates
    .filter((candidate) => !candidate.includes('://') && !candidate.includes('*'))
    .map((candidate) => candidate.replace(/^\.\.\//, '').replaceAll('<name>', '__NAME__'))
    .filter((candidate) => !candidate.includes('<') && !candidate.startsWith('packages/scheme-__NAME__'))
    .filter(
      (candidate) => TOP_LEVEL.test(candidate) || FILE.test(candidate) || /^src\/[\w/-]+\/$/.test(candidate),
    )
  return [...new Set(paths)]
}

/** Whether `path` is a repository entry, or the tail of one (`src/start-devnet.ts`, `settle.ts`). */
function exists(path: string): boolean {
  const asDirectory = path.endsWith('/') ? path : `${path}/`
  return ENTRIES.some(
    (entry) =>
      entry === path ||
      entry === asDirectory ||
      (!TOP_LEVEL.test(path) && (entry.endsWith(`/${path}`) || entry.endsWith(`/${asDirectory}`))),
  )
}

describe('docs/adding-a-scheme.md', () => {
  const paths = mentionedPaths()

  test('names the files it is about (the check finds them)', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'packages/core/src/schemes/types.ts',
        'packages/core/src/errors/reasons.ts',
        'packages/evm/test/scheme-kit.test.ts',
        'packages/svm/test/scheme-kit.test.ts',
        'scripts/create-scheme.ts',
        'scripts/templates/scheme/',
        'src/client/__NAME__-client.ts',
      ]),
    )
    expect(paths.length).toBeGreaterThan(40)
  })

  test.each(paths)('names %s, which exists', (path) => {
    expect(exists(path), `${path} is named in docs/adding-a-scheme.md but not in the repository`).toBe(true)
  })

  const excerpts = [...GUIDE.matchAll(/<!-- excerpt: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map((match) => ({
    path: match[1] ?? '',
    code: match[2] ?? '',
  }))

  test('has excerpts of the worked example', () => {
    expect(excerpts.map((excerpt) => excerpt.path)).toEqual(
      expect.arrayContaining([
        'packages/core/src/schemes/types.ts',
        'packages/evm/src/exact/client/exact-evm-client.ts',
        'packages/evm/src/exact/facilitator/check-payment.ts',
      ]),
    )
  })

  test.each(excerpts.map((excerpt) => [excerpt.path, excerpt] as const))(
    'quotes %s accurately, line for line',
    (path, excerpt) => {
      const lines = new Set(
        readFileSync(join(REPO_ROOT, path), 'utf8')
          .split('\n')
          .map((line) => line.trim()),
      )
      const quoted = excerpt.code
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && line !== '// …')
      expect(quoted.length).toBeGreaterThan(2)
      expect(quoted.filter((line) => !lines.has(line))).toEqual([])
    },
  )

  test('the command it starts with is the root package.json script', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    expect(manifest.scripts['create-scheme']).toBe('tsx scripts/create-scheme.ts')
    expect(GUIDE).toContain('pnpm create-scheme ')
  })
})
