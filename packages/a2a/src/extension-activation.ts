import { EXTENSIONS_HEADER, X402_EXTENSION_LEGACY_URIS, X402_EXTENSION_URI } from './constants.js'

const ACCEPTED_URIS = new Set<string>([X402_EXTENSION_URI, ...X402_EXTENSION_LEGACY_URIS])

/**
 * The x402 extension URI a request activates (a2a-x402 spec/v0.2 §8): from `X-A2A-Extensions` or A2A 1.0's
 * `A2A-Extensions`, a comma-separated list; the v0.2 URI or a v0.1 one. `undefined` when none is activated.
 */
export function activatedX402Uri(headers: Headers): string | undefined {
  const values = [headers.get(EXTENSIONS_HEADER), headers.get('A2A-Extensions')]
  const uris = values.flatMap((value) => (value ?? '').split(',').map((uri) => uri.trim()))
  return uris.find((uri) => ACCEPTED_URIS.has(uri))
}
