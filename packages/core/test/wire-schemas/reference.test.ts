import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'open402-reference-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

test('the API reference of every public package builds without a warning (scripts/build-reference.ts)', async () => {
  const tsx = join(root, 'node_modules/.bin/tsx')
  const run = await promisify(execFile)(tsx, ['scripts/build-reference.ts', out], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  )
  expect(run.output).not.toMatch(/\[warning\]|\[error\]/)
  expect(run.code).toBe(0)
  for (const page of ['index.html', 'modules/_open402_core.html', 'modules/_open402_evm_client.html']) {
    expect(existsSync(join(out, page)), page).toBe(true)
  }
})
