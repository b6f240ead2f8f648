/**
 * The body for a Web `Request` built from a body a framework already parsed (express's `req.body`,
 * fastify's `request.body`), so dynamic prices can read it (README "Dynamic pricing"): bytes and strings
 * as they are, anything else as JSON. `undefined` when there is none (no parser ran, or GET/HEAD).
 * Adapters drop `content-length` and `transfer-encoding` from the copied headers when they use it, as a
 * re-serialized body may differ in length from the received one.
 */
export function bodyFromParsed(method: string, parsed: unknown): BodyInit | undefined {
  if (parsed === undefined || parsed === null || method === 'GET' || method === 'HEAD') return undefined
  if (typeof parsed === 'string') return parsed
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed)
  return JSON.stringify(parsed)
}
