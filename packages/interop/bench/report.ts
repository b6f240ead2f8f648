import type { Stack } from '../src/stack.js'
import type { Measurement } from './measure.js'
import { PLAN } from './plan.js'

/** Every merged measurement, by stack then by plan key. */
export type BenchResults = Record<Stack['name'], Record<string, Measurement>>

/** One printed row as data, for last-run.json. */
export interface ComparisonRow {
  metric: string
  unit: 'req/s' | 'ms'
  official: number
  open402: number
  /** open402 / official: above 1 is better for req/s, below 1 is better for ms. */
  ratio: number
}

/** Pairs the two stacks' results row by row: a rate for every measurement, and a median where planned. */
export function compare(results: BenchResults): ComparisonRow[] {
  return PLAN.flatMap(({ key, label, show }) => {
    const official = results.official[key]
    const open402 = results.open402[key]
    if (!official || !open402) return []
    const rate = row(`${label} (req/s)`, 'req/s', official.perSecond, open402.perSecond)
    if (show === 'rate') return [rate]
    return [rate, row(`${label}, median (ms)`, 'ms', official.medianMs, open402.medianMs)]
  })
}

function row(metric: string, unit: ComparisonRow['unit'], official: number, open402: number): ComparisonRow {
  return { metric, unit, official, open402, ratio: open402 / official }
}

/** The comparison as an aligned text table, plus a line per measurement that had failures. */
export function formatTable(rows: ComparisonRow[], results: BenchResults): string {
  const header = ['metric', 'official', 'open402', 'open402/official']
  const body = rows.map((r) => [r.metric, fmt(r.official), fmt(r.open402), `${r.ratio.toFixed(2)}x`])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)]
  for (const [name, measurements] of Object.entries(results)) {
    for (const [key, m] of Object.entries(measurements)) {
      if (m.failed > 0) {
        lines.push(`! ${name} ${key}: ${m.failed} of ${m.ok + m.failed} failed; first: ${m.firstFailure}`)
      }
    }
  }
  return lines.join('\n')
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}
