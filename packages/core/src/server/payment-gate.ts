import { isX402Error, X402Error } from '../errors/x402-error.js'
import { runStage, stageHooks } from '../facilitator/lifecycle-hooks.js'
import type { PaymentOption, VerifiedPayment } from '../http/types.js'
import type { SettleResponse } from '../schemas/facilitator.js'
import { type PaymentPayload, PaymentPayloadSchema } from '../schemas/payment-payload.js'
import type { PaymentRequired, PaymentRequirements, ResourceInfo } from '../schemas/payment-required.js'
import type { Price } from '../schemes/types.js'
import { findMatchingOffer } from './match-offer.js'
import type { ResourceServer } from './resource-server.js'
import type { ResourceServerHookContext } from './resource-server-hooks.js'
import type { SettlementOverrides } from './settlement-overrides.js'

/** A {@link PaymentOption} whose price and payTo may be computed from the call being paid for. */
export interface GateOption<Call> extends Omit<PaymentOption, 'price' | 'payTo'> {
  /** A fixed price, or a function of the call (e.g. of a tool's arguments). */
  price: Price | ((call: Call) => Price | Promise<Price>)
  payTo: string | ((call: Call) => string | Promise<string>)
}

/** Options of {@link createPaymentGate}. */
export interface PaymentGateOptions<Call> {
  /** The resource URL of the PaymentRequired (e.g. `mcp://tool/weather`), or a function of the call. */
  resource: string | ((call: Call) => string)
  accepts: GateOption<Call> | GateOption<Call>[]
  description?: string
  mimeType?: string
  /** Extensions declared in the PaymentRequired. */
  extensions?: Record<string, unknown>
}

/** The payment terms of a call. */
export interface GateRequired {
  kind: 'required'
  paymentRequired: PaymentRequired
}

/** A payment refused: `reason` is an x402 reason code; `paymentRequired` carries the terms to pay again. */
export interface GateRefusal {
  kind: 'refused'
  reason: string
  message: string
  paymentRequired: PaymentRequired
  /** The failed or pending settlement answer, when the refusal came from settlement. */
  settlement?: SettleResponse
}

/**
 * Nothing could be decided (facilitator unreachable, requirements not buildable, a lifecycle hook threw):
 * the transport must refuse the call, never serve it.
 */
export interface GateUnavailable {
  kind: 'unavailable'
  reason: string
  message: string
}

/** How {@link GateVerified.settle} ended. */
export type GateSettlement = { kind: 'settled'; response: SettleResponse } | GateRefusal | GateUnavailable

/** A payment that verified; the work may run, and `settle()` charges it (once, however often it is called). */
export interface GateVerified {
  kind: 'verified'
  payment: VerifiedPayment
  paymentRequired: PaymentRequired
  /**
   * Charges the payment, at most once (later calls get the first outcome): the offer's amount, or the amount
   * of `overrides` (up to that maximum, for schemes such as `upto`); a bad override settles nothing and is
   * `unavailable` with reason `invalid_settlement_override`.
   */
  settle(overrides?: SettlementOverrides): Promise<GateSettlement>
}

export type GateVerdict = GateVerified | GateRefusal | GateUnavailable

/** Payment for one priced resource, over any transport (MCP tool calls, A2A tasks). */
export interface PaymentGate<Call> {
  /** The PaymentRequired of this call (`error` defaults to "Payment required"). */
  required(call: Call, error?: string): Promise<GateRequired | GateUnavailable>
  /**
   * Checks a payment sent for this call: its shape, that it echoes one of this call's offers (so a price that
   * moved gets fresh terms), then the facilitator's verify, with the resource server's lifecycle hooks.
   */
  verify(call: Call, payment: unknown): Promise<GateVerdict>
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The transport-neutral core of a paid resource (DESIGN §3): builds the terms of a call, verifies a payment
 * against them and settles it once. The HTTP payment handler answers with HTTP responses; MCP and A2A
 * carry the same decisions in their own messages. Options are checked now: an option that can never be
 * priced throws `X402Error('invalid_config')`.
 * @example const gate = createPaymentGate(server, { resource: 'mcp://tool/echo', accepts: { scheme: 'exact', network, price: '$0.01', payTo } })
 */
export function createPaymentGate<Call>(
  server: ResourceServer,
  options: PaymentGateOptions<Call>,
): PaymentGate<Call> {
  const list = Array.isArray(options.accepts) ? options.accepts : [options.accepts]
  if (list.length === 0) throw new X402Error('invalid_config', 'accepts is empty')
  // Calls reach dynamic prices through the synthetic request the resource server prices.
  const calls = new WeakMap<Request, Call>()
  const callOf = (request: Request) => calls.get(request) as Call
  const accepts: PaymentOption[] = list.map((option) => {
    const { price, payTo } = option
    const converted: PaymentOption = {
      ...option,
      price: typeof price === 'function' ? (request) => price(callOf(request)) : price,
      payTo: typeof payTo === 'function' ? (request) => payTo(callOf(request)) : payTo,
    }
    try {
      server.validateOption(converted)
    } catch (error) {
      throw new X402Error('invalid_config', `${option.scheme} on ${option.network}: ${message(error)}`, {
        cause: error,
      })
    }
    return converted
  })
  const route = { accepts }
  const fixedResource = typeof options.resource === 'string' ? options.resource : undefined
  const resourceOf = (call: Call) => fixedResource ?? (options.resource as (call: Call) => string)(call)
  const verifyHooks = stageHooks(server.hooks, 'verify')
  const settleHooks = stageHooks(server.hooks, 'settle')

  function paymentRequired(url: string, offers: PaymentRequirements[], error: string): PaymentRequired {
    const resource: ResourceInfo = { url }
    if (options.description !== undefined) resource.description = options.description
    if (options.mimeType !== undefined) resource.mimeType = options.mimeType
    const required: PaymentRequired = { x402Version: 2, error, resource, accepts: offers }
    if (options.extensions !== undefined) required.extensions = options.extensions
    return required
  }

  async function offersFor(
    call: Call,
  ): Promise<{ url: string; request: Request; offers: PaymentRequirements[] } | GateUnavailable> {
    let url: string
    let request: Request
    try {
      url = resourceOf(call)
      request = new Request(url)
    } catch (error) {
      return { kind: 'unavailable', reason: 'invalid_payment_requirements', message: message(error) }
    }
    calls.set(request, call)
    try {
      return { url, request, offers: await server.buildRequirements(route, request) }
    } catch (error) {
      if (isX402Error(error, 'facilitator_unreachable')) {
        return { kind: 'unavailable', reason: 'facilitator_unavailable', message: error.message }
      }
      const text = isX402Error(error) ? error.message : 'the payment requirements could not be built'
      return { kind: 'unavailable', reason: 'invalid_payment_requirements', message: text }
    }
  }

  async function verify(call: Call, payment: unknown): Promise<GateVerdict> {
    const built = await offersFor(call)
    if ('kind' in built) return built
    const { url, request, offers } = built
    const refuse = (reason: string, text: string, settlement?: SettleResponse): GateRefusal => ({
      kind: 'refused',
      reason,
      message: text,
      paymentRequired: paymentRequired(url, offers, reason),
      ...(settlement === undefined ? {} : { settlement }),
    })

    const version = (payment as { x402Version?: unknown } | null)?.x402Version
    if (version !== 2) {
      return refuse('invalid_x402_version', `x402Version must be 2, got ${JSON.stringify(version ?? null)}`)
    }
    const parsed = PaymentPayloadSchema.safeParse(payment)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
      return refuse('invalid_payload', `payment: ${path}: ${issue?.message ?? 'invalid'}`)
    }
    const payload: PaymentPayload = parsed.data
    const requirements = findMatchingOffer(payload.accepted, offers)
    if (!requirements) {
      return refuse(
        'payment_requirements_mismatch',
        'the accepted requirements do not match any offer of this resource; ask for the terms again',
      )
    }

    const context: ResourceServerHookContext = { payload, requirements, request, route: url }
    const verified = await runStage(
      verifyHooks,
      context,
      () => server.verify(payload, requirements),
      (result) => result.isValid,
    )
    if (verified.kind === 'error') {
      return {
        kind: 'unavailable',
        reason: 'facilitator_unavailable',
        message: `verify failed: ${message(verified.error)}`,
      }
    }
    if (verified.kind === 'abort') return refuse(verified.reason, verified.message)
    if (verified.kind === 'hook_error') {
      return { kind: 'unavailable', reason: verified.reason, message: verified.message }
    }
    if (verified.kind === 'failed') {
      const reason = verified.result.invalidReason ?? 'invalid_payload'
      return refuse(
        reason,
        verified.result.invalidMessage ?? `the facilitator refused the payment: ${reason}`,
      )
    }

    let settled: Promise<GateSettlement> | undefined
    const settleOnce = async (overrides?: SettlementOverrides): Promise<GateSettlement> => {
      let charged = requirements
      if (overrides !== undefined) {
        try {
          charged = { ...requirements, amount: server.settlementAmount(requirements, overrides.amount) }
        } catch (error) {
          return { kind: 'unavailable', reason: 'invalid_settlement_override', message: message(error) }
        }
      }
      const outcome = await runStage(
        settleHooks,
        charged === requirements ? context : { ...context, requirements: charged },
        () => server.settle(payload, charged),
        (answer, recovered) => answer.success && (recovered || answer.status !== 'pending'),
      )
      if (outcome.kind === 'ok') return { kind: 'settled', response: outcome.result }
      if (outcome.kind === 'error') {
        return {
          kind: 'unavailable',
          reason: 'facilitator_unavailable',
          message: `settle failed: ${message(outcome.error)}`,
        }
      }
      if (outcome.kind === 'abort') return refuse(outcome.reason, outcome.message)
      if (outcome.kind === 'hook_error') {
        return { kind: 'unavailable', reason: outcome.reason, message: outcome.message }
      }
      const result = outcome.result
      const pending = result.success && result.status === 'pending'
      const reason = result.errorReason ?? (pending ? 'settlement_pending' : 'settlement_failed')
      const text =
        result.errorMessage ??
        (pending
          ? `the payment was sent (${result.transaction}) but is not confirmed yet`
          : 'settlement failed')
      return refuse(reason, text, result)
    }
    return {
      kind: 'verified',
      payment: { payload, requirements, payer: verified.result.payer ?? '' },
      paymentRequired: paymentRequired(url, offers, 'Payment required'),
      settle: (overrides) => {
        settled ??= settleOnce(overrides)
        return settled
      },
    }
  }

  return {
    async required(call, error = 'Payment required') {
      const built = await offersFor(call)
      if ('kind' in built) return built
      return { kind: 'required', paymentRequired: paymentRequired(built.url, built.offers, error) }
    },
    verify,
  }
}
