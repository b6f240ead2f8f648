import { createFacilitator, matchesNetwork, networkFamily } from '@open402/core'
import { expect, test } from 'vitest'
import type { ConformanceContext } from '../conformance-context.js'

/** Case 6: the three parts agree, and `/supported` lists the kind and the signers. */
export function registerSupportedCases(context: () => ConformanceContext): void {
  test('client, server and facilitator parts name the same scheme and serve the network', () => {
    const { client, server, facilitator, network } = context().scheme
    expect([client.scheme, server.scheme]).toEqual([facilitator.scheme, facilitator.scheme])
    for (const part of [client, server, facilitator]) expect(matchesNetwork(part.network, network)).toBe(true)
  })

  test('supported() lists the kind (x402Version 2, scheme, network) and the signers under the network family', async () => {
    const { facilitator: part, network } = context().scheme
    const supported = await createFacilitator({ schemes: [part] }).supported()

    expect(supported.kinds).toContainEqual(
      expect.objectContaining({ x402Version: 2, scheme: part.scheme, network }),
    )
    const family = networkFamily(network)
    const signers = supported.signers[family] ?? []
    expect(signers.length, `signers under ${family}`).toBeGreaterThan(0)
    for (const signer of signers) expect(signer).toMatch(/\S/)
    expect(signers).toEqual(part.signers()[family])
  })
}
