import { X402Error } from '../errors/x402-error.js'
import {
  assertIsPaymentIdentifier,
  createPaymentIdentifier,
  paymentIdentifierDeclarationOf,
  withPaymentIdentifier,
} from '../extensions/payment-identifier.js'
import type { Caip2 } from '../networks/caip2.js'
import { matchesNetwork, type NetworkPattern } from '../networks/network-pattern.js'
import { createSchemeRegistry } from '../networks/scheme-registry.js'
import type { PaymentPayload } from '../schemas/payment-payload.js'
import type { PaymentRequired, PaymentRequirements } from '../schemas/payment-required.js'
import type { SchemeClient } from '../schemes/types.js'
import type { PaymentPolicy, PaymentRequestContext, PolicyReservation } from './policies.js'

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
  /**
   * A person in the loop: called with the chosen offer once every policy allowed it, before anything is
   * signed; `false` refuses the payment with `X402Error('payment_refused_by_policy')`.
   */
  confirm?: (offer: PaymentRequirements, context: PaymentRequestContext) => boolean | Promise<boolean>
}

/** Options of {@link PaymentClient.createPaymentPayload}. */
export interface CreatePaymentPayloadOptions {
  /** The URL the request was sent to; policies such as per-host budgets use it rather than `resource.url`. */
  url?: string | URL
  /**
   * The idempotency key sent when the 402 declares `payment-identifier` (default: a fresh
   * `createPaymentIdentifier()`); 16–128 characters `[A-Za-z0-9_-]`, else `X402Error('invalid_payment_identifier')`.
   */
  paymentIdentifier?: string
}

/** The client role: chooses an offer of a 402 and signs it. */
export interface PaymentClient {
  /** The offer to pay; throws `X402Error('no_scheme_registered' | 'payment_refused_by_policy')` listing why each was refused. */
  selectRequirements(
    paymentRequired: PaymentRequired,
    options?: CreatePaymentPayloadOptions,
  ): PaymentRequirements
  /**
   * A V2 PaymentPayload for the selected offer (`accepted` echoed verbatim, extensions echoed, with an
   * `id` added to `payment-identifier` when the 402 declares it). Budgets count it as spent from now on,
   * whether or not it settles.
   */
  createPaymentPayload(
    paymentRequired: PaymentRequired,
    options?: CreatePaymentPayloadOptions,
  ): Promise<PaymentPayload>
  /**
   * Gives back what budgets reserved for `payment` (a payload this client created), e.g. after its
   * settlement failed; resolves `false` if nothing was reserved for it or it was already released.
   */
  release(payment: PaymentPayload): Promise<boolean>
}

/**
 * Creates the client role (spec §5.2): offers without a registered scheme client are skipped, the rest are
 * filtered by policies, then ordered by preference and price. It works on V2 messages; an x402 V1 402 is
 * paid through its V2 view (`paymentRequiredFromV1`), so the same schemes and policies apply to it.
 * @example const client = createPaymentClient({ schemes: [exactEvmClient({ account })], policies: [maxAmount('$0.10')] })
 */
export function createPaymentClient(options: CreatePaymentClientOptions): PaymentClient {
  const registry = createSchemeRegistry(options.schemes, 'createPaymentClient')
  const policies = options.policies ?? []
  const prefer = options.prefer ?? {}
  const reservations = new WeakMap<PaymentPayload, PolicyReservation[]>()

  const requestContext = (
    paymentRequired: PaymentRequired,
    url: string | URL | undefined,
  ): PaymentRequestContext => {
    const text = String(url ?? paymentRequired?.resource?.url ?? '')
    let host: string | undefined
    try {
      host = new URL(text).host || undefined
    } catch {
      host = undefined
    }
    return { paymentRequired, url: text, host }
  }

  const rank = <T>(list: T[] | undefined, matches: (item: T) => boolean): number => {
    if (!list) return 0
    const index = list.findIndex(matches)
    return index === -1 ? list.length : index
  }

  function selectWithScheme(
    paymentRequired: PaymentRequired,
    request: PaymentRequestContext,
  ): {
    requirements: PaymentRequirements
    scheme: SchemeClient
  } {
    if (paymentRequired?.x402Version !== 2) {
      const version = (paymentRequired as { x402Version?: unknown } | undefined)?.x402Version
      throw new X402Error(
        'invalid_x402_version',
        version === 1
          ? 'x402Version 1: pass the V2 view of an x402 V1 402 body, paymentRequiredFromV1(readPaymentRequiredV1(body)); wrapFetch and withPayments do this'
          : `x402Version ${String(version)} is not supported; expected 2`,
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
        .map((policy) => policy.check(requirements, { ...request, scheme }))
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
    selectRequirements: (paymentRequired, selectOptions) =>
      selectWithScheme(paymentRequired, requestContext(paymentRequired, selectOptions?.url)).requirements,
    async createPaymentPayload(paymentRequired, payloadOptions) {
      const request = requestContext(paymentRequired, payloadOptions?.url)
      const chosenId = payloadOptions?.paymentIdentifier
      if (chosenId !== undefined) assertIsPaymentIdentifier(chosenId)
      // The echo of the 402's extensions, with the idempotency key added when it declares one (spec §1.3):
      // a copy for this payment, which the scheme may add its own info to (PayloadContext.extensions).
      const declared = paymentRequired?.extensions
      const extensions =
        paymentIdentifierDeclarationOf(declared) === undefined
          ? declared === undefined
            ? undefined
            : { ...declared }
          : withPaymentIdentifier(declared, chosenId ?? createPaymentIdentifier())
      for (const policy of policies) await policy.prepare?.(request)
      // Selection and reservation run in one synchronous step, so concurrent payments cannot overspend.
      const { requirements, scheme } = selectWithScheme(paymentRequired, request)
      const reserved = policies.flatMap(
        (policy) => policy.reserve?.(requirements, { ...request, scheme }) ?? [],
      )
      const releaseAll = () => Promise.all(reserved.map((reservation) => reservation.release()))
      try {
        if (options.confirm && !(await options.confirm(requirements, request))) {
          throw new X402Error(
            'payment_refused_by_policy',
            `no acceptable payment option: confirm: the payment of ${requirements.amount} of ${requirements.asset} on ${requirements.network} to ${requirements.payTo} was not confirmed`,
          )
        }
        await Promise.all(reserved.map((reservation) => reservation.persisted))
        const payload = await scheme.createPayload(requirements, {
          x402Version: 2,
          resource: paymentRequired.resource,
          ...(extensions === undefined ? {} : { extensions }),
        })
        const payment: PaymentPayload = {
          x402Version: 2,
          resource: paymentRequired.resource,
          accepted: requirements,
          payload,
          ...(extensions === undefined ? {} : { extensions }),
        }
        if (reserved.length > 0) reservations.set(payment, reserved)
        return payment
      } catch (error) {
        await releaseAll()
        throw error
      }
    },
    async release(payment) {
      const reserved = reservations.get(payment)
      if (!reserved) return false
      reservations.delete(payment)
      await Promise.all(reserved.map((reservation) => reservation.release()))
      return true
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
