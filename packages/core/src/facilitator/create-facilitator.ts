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
import { paymentId } from './payment-id.js'
import { createMemorySettlementGuard, type SettlementGuard } from './settlement-guard.js'

/** Options of {@link createFacilitator}. */
export interface CreateFacilitatorOptions {
  schemes: SchemeFacilitator[]
  /** Blocks duplicate settlement of one payment (default: in memory, 10 minutes). */
  guard?: SettlementGuard
}

type Refusal = { reason: ErrorReason; message: string }

/**
 * An in-process facilitator: checks the version and binding, dispatches to the scheme part registered for
 * (scheme, network), turns scheme exceptions into reason codes, and settles each payment id once.
 * @example const facilitator = createFacilitator({ schemes: [exactEvmFacilitator({ wallet })] })
 */
export function createFacilitator(options: CreateFacilitatorOptions): FacilitatorClient {
  const registry = createSchemeRegistry(options.schemes, 'createFacilitator')
  const guard = options.guard ?? createMemorySettlementGuard()

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

  const settleFailure = (
    requirements: PaymentRequirements,
    refusal: Refusal,
    payer?: string,
  ): SettleResponse => ({
    success: false,
    errorReason: refusal.reason,
    errorMessage: refusal.message,
    transaction: '',
    network: requirements.network,
    ...(payer === undefined ? {} : { payer }),
  })

  return {
    async verify(payload, requirements): Promise<VerifyResponse> {
      const part = check(payload, requirements)
      if ('reason' in part)
        return { isValid: false, invalidReason: part.reason, invalidMessage: part.message }
      try {
        return await part.verify(payload, requirements)
      } catch (error) {
        return { isValid: false, invalidReason: 'unexpected_verify_error', invalidMessage: messageOf(error) }
      }
    },

    async settle(payload, requirements): Promise<SettleResponse> {
      const part = check(payload, requirements)
      if ('reason' in part) return settleFailure(requirements, part)
      const id = await paymentId(payload)
      if (!(await guard.acquire(id))) {
        return settleFailure(requirements, {
          reason: 'duplicate_settlement',
          message: 'this payment is being settled or was already settled',
        })
      }
      let settled = false
      try {
        const result = await part.settle(payload, requirements)
        settled = result.success || result.status === 'pending'
        return result
      } catch (error) {
        return settleFailure(requirements, { reason: 'unexpected_settle_error', message: messageOf(error) })
      } finally {
        await guard.release(id, settled)
      }
    },

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
