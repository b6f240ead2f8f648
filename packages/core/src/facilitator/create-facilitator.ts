import type { ErrorReason } from '../errors/reasons.js'
import { PAYMENT_IDENTIFIER } from '../extensions/payment-identifier.js'
import { createSchemeRegistry } from '../networks/scheme-registry.js'
import type {
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyResponse,
} from '../schemas/facilitator.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequirements } from '../schemas/payment-required.js'
import type { FacilitatorClient, SchemeFacilitator } from '../schemes/types.js'
import type { FacilitatorLedger } from './facilitator-ledger.js'
import { ledgerFromGuard } from './guard-ledger.js'
import { type LifecycleHooks, runStage, stageHooks } from './lifecycle-hooks.js'
import { paymentId } from './payment-id.js'
import { dedupeByPaymentIdentifier, type FacilitatorIdempotencyOptions } from './payment-identifier-dedupe.js'
import { createRecentVerifications } from './recent-verifications.js'
import { type ReconcileOptions, type ReconcileReport, reconcileSettlements } from './reconcile-settlements.js'
import { recordSettleRefusal, recordVerifyOutcome } from './record-outcome.js'
import { settleOnce, settleRefusal } from './settle-once.js'
import { createMemorySettlementGuard, type SettlementGuard } from './settlement-guard.js'

/** Options of {@link createFacilitator}. */
export interface CreateFacilitatorOptions {
  schemes: SchemeFacilitator[]
  /**
   * Records every verify and settle (refusals too, with their reason) and settles each payment id once,
   * across every instance sharing it (e.g. `createStorageSettlementLedger(storage)` from
   * @open402/storage). A ledger that cannot record an answer turns it into `ledger_unavailable` (fail
   * closed). With a ledger, settle answers
   * name the payment id in `extensions['open402-settlement'].id` and a retry gets the recorded answer.
   */
  ledger?: FacilitatorLedger
  /** Without a ledger: blocks duplicate settlement of one payment (default: in memory, 10 minutes). */
  guard?: SettlementGuard
  /**
   * Lifecycle hooks around verify and settle (README "Lifecycle hooks"): an abort answers an invalid or
   * failed result with its reason and settles nothing; a hook that throws fails closed with
   * `before_verify_hook_error`, `before_settle_hook_error`, `after_*_hook_error` or `*_failure_hook_error`.
   */
  hooks?: FacilitatorHooks
  /**
   * Deduplicates `/verify` and `/settle` by payment identifier (README "Idempotency (payment-identifier)"):
   * the same identifier and payload get the first valid verify and successful settle again; another payload
   * with the identifier is refused `payment_identifier_conflict`. Lists `payment-identifier` in `/supported`.
   */
  idempotency?: FacilitatorIdempotencyOptions
}

/** What the facilitator's lifecycle hooks get: the payment and the requirements it is checked against. */
export interface FacilitatorHookContext {
  payload: PaymentPayload
  requirements: PaymentRequirements
}

/** Lifecycle hooks of {@link createFacilitator}. */
export type FacilitatorHooks = LifecycleHooks<FacilitatorHookContext, VerifyResponse, SettleResponse>

/** An in-process facilitator: the three calls, plus the reconciler of its ledger. */
export interface Facilitator extends FacilitatorClient {
  /**
   * Finishes payments that were sent but whose outcome was never recorded (after a crash or a pending
   * answer), by asking each scheme's `reconcile`. Does nothing without a ledger that lists them.
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>
}

type Refusal = { reason: ErrorReason; message: string }

/**
 * An in-process facilitator: checks the version and binding, dispatches to the scheme part registered for
 * (scheme, network), turns scheme exceptions into reason codes, and settles each payment id once.
 * @example const facilitator = createFacilitator({ schemes: [exactEvmFacilitator({ wallet })] })
 */
export function createFacilitator(options: CreateFacilitatorOptions): Facilitator {
  const registry = createSchemeRegistry(options.schemes, 'createFacilitator')
  const ledger = options.ledger ?? ledgerFromGuard(options.guard ?? createMemorySettlementGuard())
  const exposeId = options.ledger !== undefined

  function check(payload: PaymentPayload, requirements: PaymentRequirements): Refusal | SchemeFacilitator {
    if (payload?.x402Version !== 2) {
      return {
        reason: 'invalid_x402_version',
        message: `x402Version ${String(payload?.x402Version)} is not supported; expected 2`,
      }
    }
    const accepted = payload.accepted
    if (accepted === null || typeof accepted !== 'object') {
      return { reason: 'invalid_payload', message: 'paymentPayload.accepted is missing' }
    }
    if (accepted.scheme !== requirements.scheme) {
      return {
        reason: 'invalid_scheme',
        message: `payment is for scheme ${accepted.scheme}, required ${requirements.scheme}`,
      }
    }
    if (accepted.network !== requirements.network) {
      return {
        reason: 'invalid_network',
        message: `payment is for network ${accepted.network}, required ${requirements.network}`,
      }
    }
    const part = registry.resolve(requirements.scheme, requirements.network)
    if (part) return part
    return registry.hasScheme(requirements.scheme)
      ? {
          reason: 'invalid_network',
          message: `scheme ${requirements.scheme} is not supported on ${requirements.network}`,
        }
      : {
          reason: 'unsupported_scheme',
          message: `scheme ${requirements.scheme} is not supported by this facilitator`,
        }
  }

  const recentlyVerified = createRecentVerifications()

  async function verifyPayment(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<VerifyResponse> {
    const part = check(payload, requirements)
    let result: VerifyResponse
    if ('reason' in part) {
      result = { isValid: false, invalidReason: part.reason, invalidMessage: part.message }
    } else {
      try {
        result = await part.verify(payload, requirements)
      } catch (error) {
        result = {
          isValid: false,
          invalidReason: 'unexpected_verify_error',
          invalidMessage: messageOf(error),
        }
      }
    }
    // A valid payment is hashed once: for the settle that follows (no second simulation) and the ledger.
    const id = result.isValid ? await paymentId(payload) : undefined
    if (id !== undefined) recentlyVerified.add(id)
    return recordVerifyOutcome(ledger, payload, requirements, result, messageOf, id)
  }

  async function settlePayment(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<SettleResponse> {
    const part = check(payload, requirements)
    if ('reason' in part) {
      return recordSettleRefusal(
        ledger,
        payload,
        requirements,
        settleRefusal(requirements, part.reason, part.message),
        messageOf,
      )
    }
    const id = await paymentId(payload)
    const verified = recentlyVerified.take(id)
    return settleOnce(part, id, payload, requirements, { ledger, exposeId, messageOf, verified })
  }

  const hooks = options.hooks
  const verifyHooks = stageHooks(hooks, 'verify')
  const settleHooks = stageHooks(hooks, 'settle')

  async function hookedVerify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<VerifyResponse> {
    const outcome = await runStage(
      verifyHooks,
      { payload, requirements },
      () => verifyPayment(payload, requirements),
      (result) => result.isValid,
    )
    if (outcome.kind === 'ok' || outcome.kind === 'failed') return outcome.result
    if (outcome.kind === 'error') {
      return {
        isValid: false,
        invalidReason: 'unexpected_verify_error',
        invalidMessage: messageOf(outcome.error),
      }
    }
    const payer = outcome.kind === 'hook_error' ? outcome.result?.payer : undefined
    const refusal: VerifyResponse = {
      isValid: false,
      invalidReason: outcome.reason,
      invalidMessage: outcome.message,
      ...(payer === undefined ? {} : { payer }),
    }
    return recordVerifyOutcome(ledger, payload, requirements, refusal, messageOf)
  }

  async function hookedSettle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<SettleResponse> {
    const outcome = await runStage(
      settleHooks,
      { payload, requirements },
      () => settlePayment(payload, requirements),
      (result, recovered) => result.success && (recovered || result.status !== 'pending'),
    )
    if (outcome.kind === 'ok' || outcome.kind === 'failed') return outcome.result
    if (outcome.kind === 'error') {
      return settleRefusal(requirements, 'unexpected_settle_error', messageOf(outcome.error))
    }
    const settled = outcome.kind === 'hook_error' ? outcome.result : undefined
    if (settled) {
      // An after or failure hook threw once the settle call was made: the answer fails, but keeps the
      // transaction (the ledger keeps the real outcome, which a retry of the same payment gets).
      return {
        success: false,
        errorReason: outcome.reason,
        errorMessage: outcome.message,
        transaction: settled.transaction,
        network: settled.network,
        ...(settled.payer === undefined ? {} : { payer: settled.payer }),
        ...(settled.extensions === undefined ? {} : { extensions: settled.extensions }),
      }
    }
    const refusal = settleRefusal(requirements, outcome.reason, outcome.message)
    return recordSettleRefusal(ledger, payload, requirements, refusal, messageOf)
  }

  const verify = hooks ? hookedVerify : verifyPayment
  const settle = hooks ? hookedSettle : settlePayment
  const deduped = options.idempotency && dedupeByPaymentIdentifier(options.idempotency, verify, settle)

  return {
    verify: deduped ? deduped.verify : verify,
    settle: deduped ? deduped.settle : settle,

    reconcile: (reconcileOptions) => reconcileSettlements(ledger, registry, reconcileOptions),

    async supported(): Promise<SupportedResponse> {
      const kinds: SupportedKind[] = []
      const seenKinds = new Set<string>()
      const extensions = new Set<string>(options.idempotency ? [PAYMENT_IDENTIFIER] : [])
      const signers: Record<string, string[]> = {}
      for (const part of options.schemes) {
        for (const kind of part.kinds()) {
          const key = `${kind.x402Version} ${kind.scheme} ${kind.network}`
          if (seenKinds.has(key)) continue
          seenKinds.add(key)
          kinds.push(kind)
        }
        for (const extension of part.extensions?.() ?? []) extensions.add(extension)
        for (const [family, addresses] of Object.entries(part.signers())) {
          const list = signers[family] ?? []
          signers[family] = list
          for (const address of addresses) if (!list.includes(address)) list.push(address)
        }
      }
      return { kinds, extensions: [...extensions], signers }
    },
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}
