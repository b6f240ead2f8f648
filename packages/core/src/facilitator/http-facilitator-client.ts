import type { z } from 'zod'
import { X402Error } from '../errors/x402-error.js'
import {
  type SettleResponse,
  SettleResponseSchema,
  type SupportedResponse,
  SupportedResponseSchema,
  type VerifyResponse,
  VerifyResponseSchema,
} from '../schemas/facilitator.js'
import type { FacilitatorClient } from '../schemes/types.js'

/** Options of {@link createHttpFacilitatorClient}. */
export interface HttpFacilitatorClientOptions {
  /** Base URL, e.g. `https://x402.org/facilitator` (redirects are followed). */
  url: string
  /** Timeout of `/verify` and `/supported` requests (default 10 s). */
  timeoutMs?: number
  /** Timeout of `/settle`, which waits for the chain (default 60 s). */
  settleTimeoutMs?: number
  /** Extra headers per request, e.g. an `Authorization` JWT. */
  headers?: () => Promise<Record<string, string>> | Record<string, string>
  /** How long `/supported` is cached (default 5 minutes). */
  supportedTtlMs?: number
  fetch?: typeof fetch
}

const SUPPORTED_TRIES = 3
const MAX_REDIRECTS = 5

/**
 * A FacilitatorClient over the facilitator HTTP API (spec §7): POST /verify, POST /settle, GET /supported.
 * Network failures and timeouts throw `X402Error('facilitator_unreachable')`; it never fails open.
 * @example const facilitator = createHttpFacilitatorClient({ url: 'https://x402.org/facilitator' })
 */
export function createHttpFacilitatorClient(options: HttpFacilitatorClientOptions): FacilitatorClient {
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const settleTimeoutMs = options.settleTimeoutMs ?? 60_000
  const ttlMs = options.supportedTtlMs ?? 5 * 60_000
  let supportedCache: { value: SupportedResponse; at: number } | undefined
  let supportedInflight: Promise<SupportedResponse> | undefined

  async function request(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    timeout: number,
  ): Promise<Response> {
    const extra = options.headers ? await options.headers() : {}
    const headers: Record<string, string> = { Accept: 'application/json', ...extra }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const signal = AbortSignal.timeout(timeout)
    let url = `${base}${path}`
    try {
      // Redirects are followed by hand so that 307/308 keep the method and body for POST on every runtime.
      for (let hop = 0; ; hop++) {
        const response = await doFetch(url, { method, headers, body: payload, signal, redirect: 'manual' })
        const location = response.headers.get('location')
        if (response.status >= 300 && response.status < 400 && location) {
          if (hop >= MAX_REDIRECTS)
            throw new X402Error('facilitator_http_error', `${method} ${path}: too many redirects`)
          await response.body?.cancel()
          url = new URL(location, url).toString()
          if (
            (response.status === 301 || response.status === 302 || response.status === 303) &&
            method === 'POST'
          ) {
            throw new X402Error(
              'facilitator_http_error',
              `${method} ${path}: redirected with ${response.status} to ${url}, which would drop the body; configure the final URL`,
            )
          }
          continue
        }
        return response
      }
    } catch (error) {
      if (error instanceof X402Error) throw error
      const reason = signal.aborted
        ? `timed out after ${timeout} ms`
        : error instanceof Error
          ? error.message
          : String(error)
      throw new X402Error('facilitator_unreachable', `${method} ${url}: ${reason}`, { cause: error })
    }
  }

  async function readJson(response: Response, label: string): Promise<unknown> {
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw new X402Error('facilitator_unreachable', `${label}: reading the body failed`, { cause: error })
    }
    try {
      return JSON.parse(text)
    } catch {
      return undefined
    }
  }

  async function call<T>(
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
    timeout: number,
    method: 'GET' | 'POST',
  ): Promise<T> {
    const label = `${method} ${base}${path}`
    const response = await request(method, path, body, timeout)
    const data = await readJson(response, label)
    const parsed = schema.safeParse(data)
    // A non-2xx whose body is a VerifyResponse / SettleResponse is that answer (impl behaviour).
    if (parsed.success && (response.ok || method === 'POST')) return parsed.data
    if (!response.ok) {
      throw new X402Error('facilitator_http_error', `${label}: HTTP ${response.status}${detail(data)}`)
    }
    const issue = parsed.error?.issues[0]
    throw new X402Error(
      'facilitator_response_invalid',
      `${label}: invalid response: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'not JSON'}`,
    )
  }

  async function fetchSupported(): Promise<SupportedResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call('/supported', SupportedResponseSchema, undefined, timeoutMs, 'GET')
      } catch (error) {
        const retryable =
          error instanceof X402Error &&
          (error.code === 'facilitator_unreachable' ||
            (error.code === 'facilitator_http_error' && /HTTP (429|5\d\d)/.test(error.message)))
        if (!retryable || attempt >= SUPPORTED_TRIES) throw error
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)))
      }
    }
  }

  return {
    verify: (paymentPayload, paymentRequirements) =>
      call(
        '/verify',
        VerifyResponseSchema,
        { x402Version: 2, paymentPayload, paymentRequirements },
        timeoutMs,
        'POST',
      ) as Promise<VerifyResponse>,
    settle: (paymentPayload, paymentRequirements) =>
      call(
        '/settle',
        SettleResponseSchema,
        { x402Version: 2, paymentPayload, paymentRequirements },
        settleTimeoutMs,
        'POST',
      ) as Promise<SettleResponse>,
    async supported() {
      if (supportedCache && Date.now() - supportedCache.at < ttlMs) return supportedCache.value
      supportedInflight ??= fetchSupported()
        .then((value) => {
          supportedCache = { value, at: Date.now() }
          return value
        })
        .finally(() => {
          supportedInflight = undefined
        })
      return supportedInflight
    },
  }
}

function detail(data: unknown): string {
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>
    const text = record.message ?? record.error ?? record.errorMessage
    if (typeof text === 'string') return `: ${text.slice(0, 200)}`
  }
  return ''
}
