// `pnpm bench`: the official @x402 stack and open402 side by side on one devnet. See ../README.md.
import { writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { startDevnet } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import { type HostedStackProcess, hostStack } from './host-stack.js'
import { measure, type Run, summarize } from './measure.js'
import { type PlannedMeasurement, planGroups, WARMUP } from './plan.js'
import { type BenchResults, compare, formatTable, type Unsupported } from './report.js'
import { STACKS } from './stacks.js'
import type { Request } from './workload.js'
import { prepareWorkloads, type Workloads } from './workloads.js'

const log = (line: string) => console.error(`[bench] ${line}`)
const started = Date.now()
const names = Object.keys(STACKS) as Stack['name'][]
const devnet = await startDevnet()
const description = devnet.describe()
log(`devnet at ${description.evm.rpcUrl}; stacks: ${names.join(', ')}`)

const hosts: HostedStackProcess[] = []
const results = Object.fromEntries(names.map((name) => [name, {}])) as BenchResults
const unsupported = Object.fromEntries(names.map((name) => [name, {}])) as Unsupported
try {
  const workloads = {} as Record<Stack['name'], Workloads>
  for (const name of names) {
    const hosted = await hostStack(name, description)
    hosts.push(hosted)
    workloads[name] = await prepareWorkloads(STACKS[name], description, hosted)
  }
  // Each stack's request per workload, prepared and warmed up before the workload's first row.
  const ready = new Map<string, Request>()
  const requestFor = async (name: Stack['name'], planned: PlannedMeasurement) => {
    const workload = workloads[name][planned.workload]
    if (typeof workload !== 'function' && 'unsupported' in workload) {
      unsupported[name][planned.key] = workload.unsupported
      return undefined
    }
    const id = `${name}:${planned.workload}`
    let request = ready.get(id)
    if (!request) {
      const preparing = Date.now()
      request = typeof workload === 'function' ? workload : await workload.prepare()
      if (typeof workload !== 'function')
        log(`  ${id} prepared in ${((Date.now() - preparing) / 1000).toFixed(1)} s`)
      await measure({ ...(planned.warmup ?? WARMUP), request })
      ready.set(id, request)
    }
    return request
  }
  for (const group of planGroups()) {
    const rows = []
    for (const planned of group) {
      log(planned.label)
      const requests: Partial<Record<Stack['name'], Request>> = {}
      for (const name of names) requests[name] = await requestFor(name, planned)
      const runs = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<
        Stack['name'],
        Run[]
      >
      rows.push({ planned, requests, runs })
    }
    const rounds = Math.max(...group.map((planned) => planned.rounds))
    for (let round = 0; round < rounds; round++) {
      // Alternate which stack (and row of a group) goes first so none always runs on a fresher machine.
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const { planned, requests, runs } of round % 2 === 0 ? rows : [...rows].reverse()) {
        if (round >= planned.rounds) continue
        for (const name of order) {
          const request = requests[name]
          if (request) runs[name].push(await measure({ ...planned, request }))
        }
      }
    }
    for (const { planned, requests, runs } of rows) {
      for (const name of names) if (requests[name]) results[name][planned.key] = summarize(runs[name])
    }
  }
} finally {
  await Promise.all(hosts.map((host) => host.stop()))
  await devnet.stop()
}

const rows = compare(results)
console.log(formatTable(rows, results, unsupported))
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
await writeFile(
  lastRun,
  `${JSON.stringify({ ...report, comparison: rows, results, unsupported }, round, 2)}\n`,
)
log(`wrote ${lastRun.pathname} after ${seconds.toFixed(0)} s`)
