import {
  createFacilitator,
  createResourceServer,
  type Facilitator,
  type PaymentPayload,
  type PaymentRequirements,
  X402Error,
} from '@open402/core'
import type { SchemeUnderTest } from './types.js'

const RESOURCE_URL = 'https://scheme-kit.open402.test/paid'

/** A facilitator built the way facilitator services build one, and the real offer it is checked against. */
export interface ConformanceContext {
  scheme: SchemeUnderTest
  /** `createFacilitator({ schemes: [scheme.facilitator] })`, shared by the cases. */
  facilitator: Facilitator
  /** The offer the scheme's server part builds from `price` and `payTo` (completed with `/supported`). */
  requirements: PaymentRequirements
  payer: string
  /** A payment made by the scheme's client part for `terms`, claiming to accept `accepted` (default: `terms`). */
  pay(terms?: PaymentRequirements, accepted?: PaymentRequirements): Promise<PaymentPayload>
  /** Balances of the payer, `payTo` and `otherPayTo` in the offer's asset, in that order. */
  balances(): Promise<bigint[]>
}

/** Builds the context: a facilitator over the scheme part, and the offer the server part prices. */
export async function createConformanceContext(scheme: SchemeUnderTest): Promise<ConformanceContext> {
  const facilitator = createFacilitator({ schemes: [scheme.facilitator] })
  const server = createResourceServer({ facilitator, schemes: [scheme.server] })
  const offer = { scheme: scheme.facilitator.scheme, network: scheme.network }
  const [requirements] = await server.buildRequirements(
    { accepts: { ...offer, price: scheme.price, payTo: scheme.payTo } },
    new Request(RESOURCE_URL),
  )
  if (!requirements) {
    throw new X402Error('invalid_config', `the server part built no offer for ${JSON.stringify(offer)}`)
  }
  const payer = scheme.client.payer(scheme.network)
  const watched = [payer, scheme.payTo, scheme.otherPayTo]

  return {
    scheme,
    facilitator,
    requirements,
    payer,
    async pay(terms = requirements, accepted = terms) {
      const resource = { url: RESOURCE_URL }
      const payload = await scheme.client.createPayload(terms, { x402Version: 2, resource })
      return { x402Version: 2, resource, accepted, payload }
    },
    balances: () => Promise.all(watched.map((owner) => scheme.balanceOf(owner, requirements.asset))),
  }
}
