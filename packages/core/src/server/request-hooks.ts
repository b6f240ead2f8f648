import type { HookAbort } from '../facilitator/lifecycle-hooks.js'
import type { RouteConfig } from '../http/types.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import { errorResponse, type RoutePaymentRequired } from './payment-responses.js'

/** The paid route a request matched: its key as written in `routes` (e.g. `"GET /report"`) and its config. */
export interface MatchedRoute {
  readonly key: string
  readonly config: RouteConfig
}

/**
 * What the handler's `access` option decides before payment is asked for:
 * - `'grant'`: run the handler without payment (outcome `free` with `granted: true`), e.g. for a wallet
 *   that paid before and proved it with sign-in-with-x;
 * - `{ abort }`: refuse; a 402 with the offers and `abort.reason` as `error` (or `{ error, message }` at
 *   `abort.status`, 400-599);
 * - a `Response`: send it as is;
 * - `undefined`: go on as usual (402 until paid).
 */
export type AccessDecision = 'grant' | HookAbort | Response | undefined

/** The handler's `access` option; it runs for every request to a paid route (not for CORS preflights). */
export type AccessHook = (request: Request, route: MatchedRoute) => AccessDecision | Promise<AccessDecision>

/**
 * The handler's `declareExtensions` option: extension declarations computed for one request (e.g. a
 * sign-in challenge with a fresh nonce), merged key by key over the route's static `extensions` in the
 * 402 answered to a request without payment.
 */
export type DeclareExtensionsHook = (
  request: Request,
  route: MatchedRoute,
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>

/** How the access check ended; `abort` still needs the offers for its 402. */
export type AccessCheck =
  | { kind: 'continue' | 'grant' }
  | { kind: 'respond'; response: Response }
  | { kind: 'abort'; reason: string; message: string; status?: number | undefined }

/** Runs the `access` option; a hook that throws or answers nonsense fails closed with a 500, never the content. */
export async function checkAccess(
  hook: AccessHook | undefined,
  request: Request,
  route: MatchedRoute,
  baseHeaders: Readonly<Record<string, string>>,
): Promise<AccessCheck> {
  if (!hook) return { kind: 'continue' }
  let decision: AccessDecision
  try {
    decision = await hook(request, route)
  } catch {
    return { kind: 'respond', response: hookFailed('access', baseHeaders) }
  }
  if (decision === undefined) return { kind: 'continue' }
  if (decision === 'grant') return { kind: 'grant' }
  if (decision instanceof Response) return { kind: 'respond', response: decision }
  const abort = (decision as Partial<HookAbort> | null)?.abort
  // Anything but 'grant', { abort }, a Response or undefined is a bug in the hook: fail closed.
  if (!abort) return { kind: 'respond', response: hookFailed('access', baseHeaders) }
  return {
    kind: 'abort',
    reason: typeof abort.reason === 'string' && abort.reason !== '' ? abort.reason : 'payment_required',
    message: abort.message ?? 'the access hook refused this request',
    status: abort.status,
  }
}

/** Runs the `declareExtensions` option; a `Response` is the 500 to send when it threw. */
export async function declareExtensions(
  hook: DeclareExtensionsHook | undefined,
  request: Request,
  route: MatchedRoute,
  baseHeaders: Readonly<Record<string, string>>,
): Promise<Record<string, unknown> | Response | undefined> {
  if (!hook) return undefined
  try {
    return (await hook(request, route)) ?? undefined
  } catch {
    return hookFailed('declareExtensions', baseHeaders)
  }
}

/** The refusal of an access `abort`: a 402 with the offers (and the request's extensions), or `{ error, message }`. */
export function accessRefusal(
  check: Extract<AccessCheck, { kind: 'abort' }>,
  request: Request,
  offers: readonly PaymentRequirements[],
  state: RoutePaymentRequired,
  extensions: Record<string, unknown> | undefined,
  baseHeaders: Readonly<Record<string, string>>,
): Response {
  const { status } = check
  if (status === undefined || status === 402 || !Number.isInteger(status) || status < 400 || status > 599) {
    return state.refusalResponse(request, offers, check.reason, check.message, undefined, extensions)
  }
  return errorResponse(status, check.reason, check.message, baseHeaders)
}

// The hook's exception is not sent (as for the lifecycle hooks): only its name and the reason code.
function hookFailed(name: string, baseHeaders: Readonly<Record<string, string>>): Response {
  return errorResponse(
    500,
    'access_hook_error',
    `the ${name} hook failed; the request was refused`,
    baseHeaders,
  )
}
