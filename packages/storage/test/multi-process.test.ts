import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { StorageConfig } from '../src/storage-config.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))

interface Instance {
  child: ChildProcessWithoutNullStreams
  lines: AsyncIterator<string>
  exited: Promise<unknown>
  stderr(): string
}

async function startInstance(
  command: string,
  config: StorageConfig,
  count: number,
  label: string,
): Promise<Instance> {
  const child = spawn(
    TSX,
    [
      '--conditions=@open402/source',
      'test/instance-process.ts',
      command,
      JSON.stringify(config),
      String(count),
      label,
    ],
    { cwd: PACKAGE, stdio: 'pipe' },
  )
  const exited = once(child, 'exit')
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const ready = await lines.next()
  if (ready.value !== 'ready') throw new Error(`instance did not start: ${stderr}`)
  return { child, lines, exited, stderr: () => stderr }
}

/** Starts `processes` instances, releases them together and returns each one's printed result. */
async function runTogether(command: string, config: StorageConfig, processes: number, count = 1) {
  const instances = await Promise.all(
    Array.from({ length: processes }, (_, index) =>
      startInstance(command, config, count, `process-${index}`),
    ),
  )
  for (const instance of instances) instance.child.stdin.write('go\n')
  const results = await Promise.all(
    instances.map(async (instance) => {
      const line = await instance.lines.next()
      if (line.done) throw new Error(`instance exited without a result: ${instance.stderr()}`)
      return JSON.parse(line.value) as unknown
    }),
  )
  await Promise.all(instances.map((instance) => instance.exited))
  return results
}

describe.each(ENGINES)('separate processes on %s', (engine) => {
  let fixture: EngineFixture
  afterEach(() => fixture.cleanup())

  test('three processes migrating at once apply each migration exactly once', async () => {
    fixture = createEngineFixture(engine)
    const results = (await runTogether('migrate', fixture.config, 3)) as {
      applied: number[]
      version: number
    }[]
    expect(results.flatMap((result) => result.applied).sort()).toEqual([1, 2, 3, 4])
    expect(results.map((result) => result.version)).toEqual([4, 4, 4])
  })

  test('two processes firing 25 claims each of one payment have exactly one winner', async () => {
    fixture = createEngineFixture(engine)
    await fixture.open().migrate()
    const results = (await runTogether('claim', fixture.config, 2, 25)) as boolean[][]
    expect(results.flat()).toHaveLength(50)
    expect(results.flat().filter(Boolean)).toHaveLength(1)
    expect(await fixture.open().settlements.get('payment-1')).toMatchObject({ state: 'claimed', attempts: 1 })
  })
})
