import { PaywallError } from './wallet-error.js'

/** One Solana JSON-RPC call over `fetch`; `url` may be relative to the page (a same-origin proxy). */
export async function solanaRpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const endpoint = new URL(url, globalThis.location?.href)
  let response: Response
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
  } catch (cause) {
    throw new PaywallError(`The Solana RPC at ${endpoint.origin} could not be reached.`, { cause })
  }
  const body = (await response.json().catch(() => undefined)) as
    | { result?: T; error?: { message?: string } }
    | undefined
  if (!response.ok || body === undefined || body.error || !('result' in body)) {
    const reason = body?.error?.message ?? `HTTP ${response.status}`
    throw new PaywallError(`The Solana RPC answered ${method} with an error: ${reason}`)
  }
  return body.result as T
}
