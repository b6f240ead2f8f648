/**
 * Every reading of a request path that some framework or proxy might route on, as lists of lower-case
 * segments (DESIGN §3). A request is paid when ANY variant matches a paid route (fail closed), so the rules
 * only ever add readings: percent-decoded and raw, `%2F` / `%5C` / `%252F` as separators and not,
 * backslashes as `/`, empty segments (`//`, trailing `/`) dropped, `.` and `..` resolved and kept,
 * letters case-folded. Malformed percent-encoding never throws: valid escapes are decoded, the rest kept.
 * Known bypasses this covers: x402f#967 (malformed `%`), #318 (`\`), #2372 / #3044 / #3502 (`%2F`,
 * `%252F`, `%5C`), GHSA-3j63-5h8p-gf7c (`//`).
 */
export function pathVariants(...paths: (string | undefined)[]): string[][] {
  const variants = new Map<string, string[]>()
  const add = (segments: string[]) => {
    for (const list of [segments, resolveDots(segments)]) {
      const key = list.join('/')
      if (!variants.has(key)) variants.set(key, list)
    }
  }
  for (const input of paths) {
    if (input === undefined) continue
    const path = stripQuery(input)
    if (SIMPLE.test(path)) {
      add(split(path.toLowerCase()))
      continue
    }
    // Whole-path decoding, up to three rounds (`%252F` → `%2F` → `/`), splitting after each round.
    let level = path
    for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
      add(split(level.toLowerCase()))
      const next = decodeTolerant(level)
      if (next === level) break
      level = next
    }
    // Split on literal `/` only, then decode each segment: encoded separators and backslashes stay inside
    // a segment, as in frameworks that route on the raw target and decode parameters after (x402f#2372).
    add(
      path
        .split('/')
        .filter((segment) => segment !== '')
        .map((segment) => decodeRepeatedly(segment).toLowerCase()),
    )
  }
  return [...variants.values()]
}

const MAX_DECODE_ROUNDS = 3
// Paths with nothing to normalise besides case: one variant.
const SIMPLE = /^(?:\/[A-Za-z0-9_~:@!$&'()*+,;=-]+)*\/?$/

function stripQuery(path: string): string {
  const end = path.search(/[?#]/)
  return end === -1 ? path : path.slice(0, end)
}

function split(path: string): string[] {
  return path.split(/[/\\]/).filter((segment) => segment !== '')
}

function resolveDots(segments: string[]): string[] {
  if (!segments.some((segment) => segment === '.' || segment === '..')) return segments
  const out: string[] = []
  for (const segment of segments) {
    if (segment === '.') continue
    if (segment === '..') out.pop()
    else out.push(segment)
  }
  return out
}

/** decodeURIComponent that never throws: on malformed input, decodes only the valid ASCII escapes. */
export function decodeTolerant(text: string): string {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (sequence, hex: string) => {
      const code = Number.parseInt(hex, 16)
      return code < 0x80 ? String.fromCharCode(code) : sequence
    })
  }
}

function decodeRepeatedly(text: string): string {
  let current = text
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = decodeTolerant(current)
    if (next === current) break
    current = next
  }
  return current
}
