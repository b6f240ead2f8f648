// `pnpm bench`: the official @x402 stack and open402 side by side on one devnet. See ../README.md.
import { writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { startDevnet } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import { type HostedStackProcess, hostStack } from './host-stack.js'
import { measure, type Run, summarize } from './measure.js'
import { PLAN, WARMUP } from './plan.js'
import { type BenchResults, compare, formatTable } from './report.js'
import { STACKS } from './stacks.js'
import { prepareWorkloads, type Workloads } from './workloads.js'

const log = (line: string) => console.error(`[bench] ${line}`)
const started = Date.now()
const names = Object.keys(STACKS) as Stack['name'][]
const devnet = await startDevnet()
const description = devnet.describe()
log(`devnet at ${description.evm.rpcUrl}; stacks: ${names.join(', ')}`)

const hosts: HostedStackProcess[] = []
const results = Object.fromEntries(names.map((name) => [name, {}])) as BenchResults
try {
  const workloads = {} as Record<Stack['name'], Workloads>
  for (const name of names) {
    const hosted = await hostStack(name, description)
    hosts.push(hosted)
    workloads[name] = await prepareWorkloads(STACKS[name], description, hosted)
  }
  const warmed = new Set<string>()
  for (const planned of PLAN) {
    log(planned.label)
    const runs = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<Stack['name'], Run[]>
    for (let round = 0; round < planned.rounds; round++) {
      // Alternate which stack goes first so neither always runs on a fresher (or more tired) machine.
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const name of order) {
        const request = workloads[name][planned.workload]
        if (!warmed.has(`${name}:${planned.workload}`)) {
          warmed.add(`${name}:${planned.workload}`)
          await measure({ ...WARMUP, request })
        }
        runs[name].push(await measure({ ...planned, request }))
      }
    }
    for (const name of names) results[name][planned.key] = summarize(runs[name])
  }
} finally {
  await Promise.all(hosts.map((host) => host.stop()))
  await devnet.stop()
}

const rows = compare(results)
console.log(formatTable(rows, results))
const lastRun = new URL('./last-run.json', import.meta.url)
const seconds = (Date.now() - started) / 1000
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: availableParallelism(),
  seconds,
}
const round = (_key: string, value: unknown) =>
  typeof value === 'number' ? Math.round(value * 100) / 100 : value
await writeFile(lastRun, `${JSON.stringify({ ...report, comparison: rows, results }, round, 2)}\n`)
log(`wrote ${lastRun.pathname} after ${seconds.toFixed(0)} s`)
