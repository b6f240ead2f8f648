// `pnpm create-scheme <name> [--dir <path>]`: writes a new scheme package, packages/scheme-<name>, from
// scripts/templates/scheme: a working scheme on an in-memory ledger that passes @open402/scheme-kit, to be
// turned into a real one piece by piece (docs/adding-a-scheme.md).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TEMPLATE_DIR = join(REPO_ROOT, 'scripts', 'templates', 'scheme')
const BIOME = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome')

/** Lower-case letters, digits and single dashes, starting with a letter (it becomes an identifier too). */
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const MAX_NAME_LENGTH = 40

const USAGE = `usage: pnpm create-scheme <name> [--dir <path>]

Writes the package @open402/scheme-<name> (default: packages/scheme-<name>), a working scheme on an
in-memory ledger that passes @open402/scheme-kit. <name> is the scheme's name (PaymentRequirements.scheme):
lower-case letters, digits and dashes, starting with a letter, e.g. "stream" or "pay-per-byte".

  --dir <path>  write the package to <path> instead (it must not exist yet)
  --help        print this`

/** The spellings of a scheme name the template's placeholders stand for. */
function placeholders(name: string, packageDir: string): Record<string, string> {
  const words = name.split('-')
  const capitalised = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
  return {
    NAME: name,
    CAMEL: (words[0] ?? '') + capitalised.slice(1).join(''),
    PASCAL: capitalised.join(''),
    SCREAMING: words.join('_').toUpperCase(),
    SNAKE: words.join('_'),
    // Where the repository root is seen from the package: `../..` for packages/scheme-<name>.
    ROOT: relative(packageDir, REPO_ROOT).split(sep).join('/') || '.',
  }
}

/** Replaces every `__KEY__` placeholder in `text`. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(
    /__(NAME|CAMEL|PASCAL|SCREAMING|SNAKE|ROOT)__/g,
    (_match, key: string) => values[key] ?? '',
  )
}

/** Why `name` cannot be a scheme name, or undefined when it can. */
function invalidName(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return 'a scheme name is required'
  if (name.length > MAX_NAME_LENGTH) return `"${name}" is longer than ${MAX_NAME_LENGTH} characters`
  if (!NAME.test(name)) {
    return `"${name}" is not a valid scheme name: use lower-case letters, digits and single dashes, starting with a letter (e.g. "stream" or "pay-per-byte")`
  }
  return undefined
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? templateFiles(path) : [path]
  })
}

/** Writes the package for `name` to `packageDir`; throws if the directory exists. Returns the files written. */
function createScheme(name: string, packageDir: string): string[] {
  const values = placeholders(name, packageDir)
  mkdirSync(dirname(packageDir), { recursive: true })
  try {
    mkdirSync(packageDir) // fails with EEXIST rather than writing over anything
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${packageDir} already exists; choose another name or remove it first`)
    }
    throw error
  }
  try {
    return templateFiles(TEMPLATE_DIR).map((source) => {
      const target = join(packageDir, substitute(relative(TEMPLATE_DIR, source), values))
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, substitute(readFileSync(source, 'utf8'), values))
      return target
    })
  } catch (error) {
    rmSync(packageDir, { recursive: true, force: true }) // only what this run created
    throw error
  }
}

/**
 * Formats the package with the repository's biome config: names of another length than the placeholders
 * change line lengths and the order of sorted imports. Returns biome's complaint, or undefined when clean.
 */
function format(packageDir: string): string | undefined {
  const run = spawnSync(
    process.execPath,
    // No ignore file: biome reads .gitignore relative to its root, which a --dir outside the repository is not under.
    [BIOME, 'check', '--write', `--config-path=${REPO_ROOT}`, '--vcs-use-ignore-file=false', '.'],
    { cwd: packageDir, encoding: 'utf8' },
  )
  return run.status === 0
    ? undefined
    : `${run.stdout}${run.stderr}`.trim() || `biome exited with ${run.status}`
}

function parseArgs(args: string[]): { name?: string; dir?: string; help: boolean } {
  const parsed: { name?: string; dir?: string; help: boolean } = { help: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--help' || arg === '-h') parsed.help = true
    else if (arg === '--dir') {
      const dir = args[++i]
      if (dir === undefined || dir === '') throw new Error('--dir needs a path')
      parsed.dir = dir
    } else if (arg.startsWith('--dir=')) parsed.dir = arg.slice('--dir='.length)
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`)
    else if (parsed.name === undefined) parsed.name = arg
    else throw new Error(`unexpected argument ${arg}: give one scheme name`)
  }
  return parsed
}

function main(args: string[]): number {
  let options: ReturnType<typeof parseArgs>
  try {
    options = parseArgs(args)
  } catch (error) {
    console.error(`create-scheme: ${(error as Error).message}\n\n${USAGE}`)
    return 1
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  const problem = invalidName(options.name)
  if (problem !== undefined || options.name === undefined) {
    console.error(`create-scheme: ${problem}\n\n${USAGE}`)
    return 1
  }
  const name = options.name
  // pnpm runs scripts from the package root; INIT_CWD is where the user typed the command.
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for a one-off script, not a turbo task input
  const cwd = process.env.INIT_CWD ?? process.cwd()
  const packageDir = options.dir ? resolve(cwd, options.dir) : join(REPO_ROOT, 'packages', `scheme-${name}`)
  try {
    const files = createScheme(name, packageDir)
    const unformatted = format(packageDir)
    if (unformatted !== undefined)
      console.error(`create-scheme: biome check --write found problems:\n${unformatted}`)
    const shown = relative(REPO_ROOT, packageDir).startsWith('..')
      ? packageDir
      : relative(REPO_ROOT, packageDir)
    console.log(`created @open402/scheme-${name} in ${shown} (${files.length} files)

next steps:
  pnpm install
  pnpm vitest run ${shown}
  pnpm --filter @open402/scheme-${name} typecheck

then replace the in-memory ledger with your chain, TODO by TODO: docs/adding-a-scheme.md`)
    return 0
  } catch (error) {
    console.error(`create-scheme: ${(error as Error).message}`)
    return 1
  }
}

process.exitCode = main(process.argv.slice(2))
