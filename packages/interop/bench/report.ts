import type { Stack } from '../src/stack.js'
import type { Measurement } from './measure.js'
import { PLAN } from './plan.js'

/** Every merged measurement, by stack then by plan key. */
export type BenchResults = Record<Stack['name'], Record<string, Measurement>>

/** Why a stack has no measurement for a plan key, by stack then by plan key. */
export type Unsupported = Record<Stack['name'], Record<string, string>>

/** One printed row as data, for last-run.json. */
export interface ComparisonRow {
  metric: string
  unit: 'req/s' | 'settlements/s' | 'ms'
  /** `NaN` (null in JSON) when the stack cannot run the row. */
  official: number
  open402: number
  /** open402 / official: above 1 is better for rates, below 1 is better for ms. */
  ratio: number
}

/**
 * Pairs the two stacks' results row by row: a rate for every measurement, and a median where planned. A
 * row either stack ran is printed; the other's side is n/a.
 */
export function compare(results: BenchResults): ComparisonRow[] {
  return PLAN.flatMap(({ key, label, show, rateUnit = 'req/s' }) => {
    const official = results.official[key]
    const open402 = results.open402[key]
    if (!official && !open402) return []
    const rate = row(`${label} (${rateUnit})`, rateUnit, official?.perSecond, open402?.perSecond)
    if (show === 'rate') return [rate]
    return [rate, row(`${label}, median (ms)`, 'ms', official?.medianMs, open402?.medianMs)]
  })
}

function row(
  metric: string,
  unit: ComparisonRow['unit'],
  official = Number.NaN,
  open402 = Number.NaN,
): ComparisonRow {
  return { metric, unit, official, open402, ratio: open402 / official }
}

/**
 * The comparison as an aligned text table, then the settle rows' counts of settled and failed payments, a
 * line per measurement that had failures (with the first) and one per row a stack could not run.
 */
export function formatTable(rows: ComparisonRow[], results: BenchResults, unsupported: Unsupported): string {
  const header = ['metric', 'official', 'open402', 'open402/official']
  const body = rows.map((r) => [r.metric, fmt(r.official), fmt(r.open402), ratio(r.ratio)])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)]
  for (const { key, label } of PLAN.filter((planned) => planned.rateUnit === 'settlements/s')) {
    const counts = Object.entries(results).flatMap(([name, measurements]) => {
      const m = measurements[key]
      return m ? [`${name} ${m.ok} settled, ${m.failed} failed`] : []
    })
    if (counts.length > 0) lines.push(`# ${label}: ${counts.join('; ')}`)
  }
  for (const [name, measurements] of Object.entries(results)) {
    for (const [key, m] of Object.entries(measurements)) {
      if (m.failed > 0) {
        lines.push(`! ${name} ${key}: ${m.failed} of ${m.ok + m.failed} failed; first: ${m.firstFailure}`)
      }
    }
  }
  for (const [name, reasons] of Object.entries(unsupported)) {
    for (const [key, reason] of Object.entries(reasons)) lines.push(`- ${name} ${key}: ${reason}`)
  }
  return lines.join('\n')
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a'
}
