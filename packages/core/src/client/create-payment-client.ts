import { X402Error } from '../errors/x402-error.js'
import type { Caip2 } from '../networks/caip2.js'
import { matchesNetwork, type NetworkPattern } from '../networks/network-pattern.js'
import { createSchemeRegistry } from '../networks/scheme-registry.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'
import type { SchemeClient } from '../schemes/types.js'
import type { PaymentPolicy } from './policies.js'

/** Tie-breakers among acceptable offers, applied before "cheapest". Earlier in a list = preferred. */
export interface PaymentPreference {
  networks?: (Caip2 | NetworkPattern)[]
  schemes?: string[]
  assets?: string[]
}

/** Options of {@link createPaymentClient}. */
export interface CreatePaymentClientOptions {
  schemes: SchemeClient[]
  policies?: PaymentPolicy[]
  prefer?: PaymentPreference
}

/** The client role: chooses an offer of a 402 and signs it. */
export interface PaymentClient {
  /** The offer to pay; throws `X402Error('no_scheme_registered' | 'payment_refused_by_policy')` listing why each was refused. */
  selectRequirements(paymentRequired: PaymentRequired): PaymentRequirements
  /** A V2 PaymentPayload for the selected offer (`accepted` echoed verbatim, extensions echoed). */
  createPaymentPayload(paymentRequired: PaymentRequired): Promise<PaymentPayload>
}

/**
 * Creates the client role (spec §5.2): offers without a registered scheme client are skipped, the rest are
 * filtered by policies, then ordered by preference and price.
 * @example const client = createPaymentClient({ schemes: [exactEvmClient({ account })], policies: [maxAmount('$0.10')] })
 */
export function createPaymentClient(options: CreatePaymentClientOptions): PaymentClient {
  const registry = createSchemeRegistry(options.schemes, 'createPaymentClient')
  const policies = options.policies ?? []
  const prefer = options.prefer ?? {}

  const rank = <T>(list: T[] | undefined, matches: (item: T) => boolean): number => {
    if (!list) return 0
    const index = list.findIndex(matches)
    return index === -1 ? list.length : index
  }

  function selectWithScheme(paymentRequired: PaymentRequired): {
    requirements: PaymentRequirements
    scheme: SchemeClient
  } {
    if (paymentRequired?.x402Version !== 2) {
      throw new X402Error(
        'invalid_x402_version',
        `x402Version ${String(paymentRequired?.x402Version)} is not supported; expected 2`,
      )
    }
    const refusals: string[] = []
    let noScheme = 0
    const candidates: {
      requirements: PaymentRequirements
      scheme: SchemeClient
      index: number
      decimals?: number
    }[] = []
    for (const [index, requirements] of paymentRequired.accepts.entries()) {
      const label = `offer ${index + 1} (${requirements.scheme} on ${requirements.network}, ${requirements.amount} of ${requirements.asset})`
      const scheme = registry.resolve(requirements.scheme, requirements.network)
      if (!scheme) {
        noScheme++
        refusals.push(
          `${label}: no scheme client registered for ${requirements.scheme} on ${requirements.network}`,
        )
        continue
      }
      const refusal = policies
        .map((policy) => policy.check(requirements, { paymentRequired, scheme }))
        .find(Boolean)
      if (refusal) {
        refusals.push(`${label}: ${refusal}`)
        continue
      }
      candidates.push({
        requirements,
        scheme,
        index,
        decimals: scheme.decimals?.(requirements.network, requirements.asset),
      })
    }
    if (candidates.length === 0) {
      const code =
        noScheme === paymentRequired.accepts.length ? 'no_scheme_registered' : 'payment_refused_by_policy'
      const detail = refusals.length > 0 ? refusals.join('; ') : 'the server offered no way to pay'
      throw new X402Error(code, `no acceptable payment option: ${detail}`)
    }
    candidates.sort(
      (a, b) =>
        rank(prefer.networks, (n) => matchesNetwork(n, a.requirements.network)) -
          rank(prefer.networks, (n) => matchesNetwork(n, b.requirements.network)) ||
        rank(prefer.schemes, (s) => s === a.requirements.scheme) -
          rank(prefer.schemes, (s) => s === b.requirements.scheme) ||
        rank(prefer.assets, (s) => s.toLowerCase() === a.requirements.asset.toLowerCase()) -
          rank(prefer.assets, (s) => s.toLowerCase() === b.requirements.asset.toLowerCase()) ||
        comparePrice(a, b) ||
        a.index - b.index,
    )
    const best = candidates[0] as (typeof candidates)[number]
    return { requirements: best.requirements, scheme: best.scheme }
  }

  return {
    selectRequirements: (paymentRequired) => selectWithScheme(paymentRequired).requirements,
    async createPaymentPayload(paymentRequired) {
      const { requirements, scheme } = selectWithScheme(paymentRequired)
      const payload = await scheme.createPayload(requirements, {
        x402Version: 2,
        resource: paymentRequired.resource,
        ...(paymentRequired.extensions === undefined ? {} : { extensions: paymentRequired.extensions }),
      })
      return {
        x402Version: 2,
        resource: paymentRequired.resource,
        accepted: requirements,
        payload,
        ...(paymentRequired.extensions === undefined ? {} : { extensions: paymentRequired.extensions }),
      }
    },
  }
}

/** Compares prices across decimals when both are known (a / 10^da vs b / 10^db), else atomic amounts. */
function comparePrice(
  a: { requirements: PaymentRequirements; decimals?: number },
  b: { requirements: PaymentRequirements; decimals?: number },
): number {
  let left = BigInt(a.requirements.amount)
  let right = BigInt(b.requirements.amount)
  if (a.decimals !== undefined && b.decimals !== undefined) {
    left *= 10n ** BigInt(b.decimals)
    right *= 10n ** BigInt(a.decimals)
  }
  return left < right ? -1 : left > right ? 1 : 0
}
