import type { ErrorReason } from '../errors/reasons.js'

/** What a `before*` hook returns to stop the payment: a reason code, a message and (server only) a status. */
export interface HookAbort {
  abort: {
    /** The reason code answered (`invalidReason` / `errorReason` / the 402 `error`). */
    reason: string
    message?: string
    /** Resource server only: the HTTP status of the refusal (default 402, e.g. 403); 400-599. */
    status?: number
  }
}

/** What an `on*Failure` hook gets: the failed answer, or the exception of the call. */
export type HookFailure<T> = { result: T; error?: undefined } | { error: unknown; result?: undefined }

type Awaitable<T> = T | Promise<T>

/**
 * Hooks around verify and settle, shared by the resource server and the facilitator. A `before*` hook may
 * abort; an `on*Failure` hook may recover with an answer of its own; a hook that throws fails closed.
 */
export interface LifecycleHooks<Context, Verify, Settle> {
  /** Before the verify call; return `{ abort }` to refuse the payment without verifying it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  beforeVerify?(context: Context): Awaitable<void | HookAbort>
  /** After a valid verify answer (or a recovered one), before anything else happens. */
  afterVerify?(context: Context, result: Verify): Awaitable<void>
  /** After an invalid verify answer or a verify call that threw; return `{ recover }` to replace it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  onVerifyFailure?(context: Context, failure: HookFailure<Verify>): Awaitable<void | { recover: Verify }>
  /** Before the settle call; return `{ abort }` to refuse the payment without settling it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  beforeSettle?(context: Context): Awaitable<void | HookAbort>
  /** After a successful settle answer (or a recovered one), before the answer is used. */
  afterSettle?(context: Context, result: Settle): Awaitable<void>
  /** After a failed or pending settle answer or a settle call that threw; `{ recover }` replaces it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  onSettleFailure?(context: Context, failure: HookFailure<Settle>): Awaitable<void | { recover: Settle }>
}

/** How one hooked stage (verify or settle) ended. */
export type StageOutcome<T> =
  /** A successful answer (possibly recovered), seen by the after hook. */
  | { kind: 'ok'; result: T }
  /** A failed answer that no hook recovered. */
  | { kind: 'failed'; result: T }
  /** The call threw and no hook recovered. */
  | { kind: 'error'; error: unknown }
  /** A before hook aborted; the call was not made. */
  | { kind: 'abort'; reason: string; message: string; status?: number }
  /** A hook threw; `result` is the call's answer when an after or failure hook threw. */
  | { kind: 'hook_error'; hook: string; reason: ErrorReason; message: string; error: unknown; result?: T }

/** The three hooks of one stage, with the reason codes of their exceptions. */
export interface StageHooks<Context, T> {
  stage: 'verify' | 'settle'
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  before?: ((context: Context) => Awaitable<void | HookAbort>) | undefined
  after?: ((context: Context, result: T) => Awaitable<void>) | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check
  onFailure?: ((context: Context, failure: HookFailure<T>) => Awaitable<void | { recover: T }>) | undefined
}

/** The hooks of the verify or settle stage of `hooks`, bound to their object. */
export function stageHooks<Context, V, S>(
  hooks: LifecycleHooks<Context, V, S> | undefined,
  stage: 'verify',
): StageHooks<Context, V>
export function stageHooks<Context, V, S>(
  hooks: LifecycleHooks<Context, V, S> | undefined,
  stage: 'settle',
): StageHooks<Context, S>
export function stageHooks<Context, V, S>(
  hooks: LifecycleHooks<Context, V, S> | undefined,
  stage: 'verify' | 'settle',
): StageHooks<Context, V> | StageHooks<Context, S> {
  if (stage === 'verify') {
    return {
      stage,
      before: hooks?.beforeVerify?.bind(hooks),
      after: hooks?.afterVerify?.bind(hooks),
      onFailure: hooks?.onVerifyFailure?.bind(hooks),
    }
  }
  return {
    stage,
    before: hooks?.beforeSettle?.bind(hooks),
    after: hooks?.afterSettle?.bind(hooks),
    onFailure: hooks?.onSettleFailure?.bind(hooks),
  }
}

const HOOK_NAMES = {
  verify: ['beforeVerify', 'afterVerify', 'onVerifyFailure'],
  settle: ['beforeSettle', 'afterSettle', 'onSettleFailure'],
} as const

/**
 * Runs one stage: the before hook (abort stops it), the call, the failure hook on a failed answer or an
 * exception (recover replaces it), then the after hook on a successful answer. `isSuccess` is told whether
 * the answer was recovered (a recovered settle may be pending: the hook accepted it). Any hook that throws ends
 * the stage as `hook_error` with `before_*`, `*_failure_` or `after_*_hook_error`: the caller fails closed.
 */
export async function runStage<Context, T>(
  hooks: StageHooks<Context, T>,
  context: Context,
  call: () => Promise<T>,
  isSuccess: (result: T, recovered: boolean) => boolean,
): Promise<StageOutcome<T>> {
  const { stage } = hooks
  const [beforeName, afterName, failureName] = HOOK_NAMES[stage]
  const hookError = (name: string, reason: ErrorReason, error: unknown, result?: T): StageOutcome<T> => ({
    kind: 'hook_error',
    hook: name,
    reason,
    message: `the ${name} hook failed: ${messageOf(error)}`,
    error,
    ...(result === undefined ? {} : { result }),
  })

  if (hooks.before) {
    let decision: HookAbort | undefined
    try {
      decision = (await hooks.before(context)) as HookAbort | undefined
    } catch (error) {
      return hookError(beforeName, `before_${stage}_hook_error`, error)
    }
    if (decision?.abort) {
      const { reason, message, status } = decision.abort
      return {
        kind: 'abort',
        reason: typeof reason === 'string' && reason !== '' ? reason : 'payment_required',
        message: message ?? `the ${beforeName} hook refused this payment`,
        ...(status === undefined ? {} : { status }),
      }
    }
  }

  let failure: HookFailure<T> | undefined
  let result: T | undefined
  try {
    result = await call()
    if (!isSuccess(result, false)) failure = { result }
  } catch (error) {
    failure = { error }
  }

  if (failure) {
    let recovered: { recover: T } | undefined
    if (hooks.onFailure) {
      try {
        recovered = (await hooks.onFailure(context, failure)) as { recover: T } | undefined
      } catch (error) {
        return hookError(failureName, `${stage}_failure_hook_error`, error, failure.result)
      }
    }
    if (recovered?.recover === undefined) {
      return failure.result === undefined
        ? { kind: 'error', error: failure.error }
        : { kind: 'failed', result: failure.result }
    }
    result = recovered.recover
    if (!isSuccess(result, true)) return { kind: 'failed', result }
  }

  const final = result as T
  if (hooks.after) {
    try {
      await hooks.after(context, final)
    } catch (error) {
      return hookError(afterName, `after_${stage}_hook_error`, error, final)
    }
  }
  return { kind: 'ok', result: final }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}
