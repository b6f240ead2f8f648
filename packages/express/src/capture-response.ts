import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'

/** A handler's response held back from the socket. */
export interface CapturedResponse {
  /** The captured status, headers and body as a Web `Response`. */
  toWebResponse(): Response
  /** Puts the real `writeHead`/`write`/`end` back so the final response can be sent. */
  restore(): void
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

type Callback = (error?: Error | null) => void

/**
 * Replaces `writeHead`, `flushHeaders`, `write` and `end` on `res` so that nothing reaches the socket;
 * headers set with `setHeader` stay in `res` (node sends them only on the first write). `ended` resolves
 * when the handler calls `end`.
 */
export function captureResponse(res: ServerResponse): { ended: Promise<CapturedResponse> } {
  const chunks: Buffer[] = []
  const patched = ['writeHead', 'flushHeaders', 'write', 'end'] as const
  const target = res as unknown as Record<string, unknown>
  const hadOwn = new Map(patched.map((name) => [name, Object.hasOwn(res, name) ? target[name] : undefined]))

  const append = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return
    const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, enc) : Buffer.from(chunk as Uint8Array))
  }
  const callbackOf = (...args: unknown[]) => args.find((arg): arg is Callback => typeof arg === 'function')

  const captured: CapturedResponse = {
    toWebResponse() {
      const headers = new Headers()
      for (const [name, value] of Object.entries(res.getHeaders())) {
        if (value === undefined) continue
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item))
      }
      const status = res.statusCode
      const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks)
      return new Response(body, { status, headers })
    },
    restore() {
      for (const [name, own] of hadOwn) {
        if (own === undefined) delete target[name]
        else target[name] = own
      }
    },
  }

  const ended = new Promise<CapturedResponse>((resolve) => {
    target.writeHead = (status: number, ...rest: unknown[]) => {
      res.statusCode = status
      const headers = rest.find((arg) => typeof arg === 'object' && arg !== null)
      applyHeaders(res, headers as OutgoingHttpHeaders | unknown[] | undefined)
      return res
    }
    target.flushHeaders = () => {}
    target.write = (chunk: unknown, ...rest: unknown[]) => {
      append(chunk, rest[0])
      const callback = callbackOf(...rest)
      if (callback) queueMicrotask(() => callback())
      return true
    }
    target.end = (chunk?: unknown, ...rest: unknown[]) => {
      append(chunk, rest[0])
      const callback = callbackOf(chunk, ...rest)
      if (callback) queueMicrotask(() => callback())
      resolve(captured)
      return res
    }
  })
  return { ended }
}

function applyHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | unknown[] | undefined): void {
  if (headers === undefined) return
  if (Array.isArray(headers)) {
    // writeHead accepts [name, value, name, value] or [[name, value], ...]
    const pairs = Array.isArray(headers[0]) ? (headers as [string, string][]) : toPairs(headers as string[])
    for (const [name, value] of pairs) res.appendHeader(name, value)
    return
  }
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value)
}

function toPairs(flat: string[]): [string, string][] {
  const pairs: [string, string][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string])
  return pairs
}
