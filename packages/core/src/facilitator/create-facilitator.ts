import type { ErrorReason } from '../errors/reasons.js'
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
import { paymentId } from './payment-id.js'
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
}

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

  return {
    async verify(payload, requirements): Promise<VerifyResponse> {
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
      return recordVerifyOutcome(ledger, payload, requirements, result, messageOf)
    },

    async settle(payload, requirements): Promise<SettleResponse> {
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
      return settleOnce(part, id, payload, requirements, { ledger, exposeId, messageOf })
    },

    reconcile: (reconcileOptions) => reconcileSettlements(ledger, registry, reconcileOptions),

    async supported(): Promise<SupportedResponse> {
      const kinds: SupportedKind[] = []
      const seenKinds = new Set<string>()
      const extensions = new Set<string>()
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
