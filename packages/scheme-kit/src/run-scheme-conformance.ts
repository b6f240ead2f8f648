import { afterAll, beforeAll, describe } from 'vitest'
import { registerRefusalCases } from './cases/refusals.js'
import { registerReplayCases } from './cases/replay.js'
import { registerSupportedCases } from './cases/supported.js'
import { registerValidPaymentCases } from './cases/valid-payment.js'
import { type ConformanceContext, createConformanceContext } from './conformance-context.js'
import type { SchemeConformanceOptions, SchemeUnderTest } from './types.js'

/**
 * Registers, in the calling test file, the vitest cases every x402 scheme must pass: a valid payment
 * settles once for exactly its amount; wrong amount, recipient, asset, network and expired payments are
 * refused with specific reasons; replays and concurrent settles move money once; verify changes nothing;
 * `supported()` lists the kind and signers. The cases run through core's `createFacilitator`.
 * @example runSchemeConformance({ name: 'exact on eip155', setup: async () => ({ network, client, server, facilitator, … }) })
 * @see https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md
 */
export function runSchemeConformance(options: SchemeConformanceOptions): void {
  describe(options.name, () => {
    let scheme: SchemeUnderTest | undefined
    let context: ConformanceContext | undefined

    beforeAll(async () => {
      scheme = await options.setup()
      context = await createConformanceContext(scheme)
    })
    afterAll(async () => {
      await scheme?.teardown?.()
    })

    const current = (): ConformanceContext => {
      if (!context) throw new Error(`${options.name}: setup() did not finish, so no case can run`)
      return context
    }
    registerSupportedCases(current)
    registerValidPaymentCases(current)
    registerRefusalCases(current)
    registerReplayCases(current, options.concurrentSettles ?? 5)
  })
}
