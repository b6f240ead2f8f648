import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { ClaimResult } from '../src/settlements/settlement-ledger.js'
import type { Storage } from '../src/storage.js'
import { assertPostgresReachable, createEngineFixture, ENGINES, type EngineFixture } from './engines.js'

beforeAll(assertPostgresReachable)

const CLAIMS = 50

/** The instance that sends request `index`: the two take turns. */
const pick = <T>(pair: [T, T], index: number): T => pair[index % 2 === 0 ? 0 : 1]

/** Fires `CLAIMS` claims of one id, alternating between two instances, all at once. */
function claimFromBoth(instances: [Storage, Storage], id: string): Promise<ClaimResult[]> {
  return Promise.all(
    Array.from({ length: CLAIMS }, (_, index) =>
      pick(instances, index).settlements.claimForSettlement(id, undefined, {
        owner: `instance-${index % 2}:request-${index}`,
        leaseMs: 60_000,
      }),
    ),
  )
}

describe.each(ENGINES)('exactly-once settlement on %s', (engine) => {
  let fixture: EngineFixture
  let instances: [Storage, Storage]
  beforeEach(async () => {
    fixture = createEngineFixture(engine)
    // Two handles (SQLite) or two pools (PostgreSQL) on one database, as two facilitator instances.
    instances = [fixture.open(), fixture.open()]
    await Promise.all(instances.map((storage) => storage.migrate()))
  })
  afterEach(() => fixture.cleanup())

  test(`${CLAIMS} concurrent claims of a new payment from two instances have exactly one winner`, async () => {
    const results = await claimFromBoth(instances, 'payment-new')
    const winners = results.filter((result) => result.claimed)
    expect(winners).toHaveLength(1)
    const owner = winners[0]?.claimed === true ? winners[0].record.claimedBy : undefined
    for (const result of results) {
      if (!result.claimed) expect(result.existing).toMatchObject({ state: 'claimed', claimedBy: owner })
    }
    expect(await instances[1].settlements.get('payment-new')).toMatchObject({ attempts: 1, claimedBy: owner })
  })

  test(`${CLAIMS} concurrent claims of a verified payment, and again after a failure before sending, have one winner each`, async () => {
    await instances[0].settlements.recordVerified('payment-verified', {
      scheme: 'exact',
      network: 'eip155:1',
      asset: '0xasset',
      amount: '1',
      payTo: '0xshop',
    })
    const first = await claimFromBoth(instances, 'payment-verified')
    const winner = first.find((result) => result.claimed)
    expect(first.filter((result) => result.claimed)).toHaveLength(1)
    const owner = winner?.claimed === true ? (winner.record.claimedBy ?? '') : ''
    await instances[0].settlements.markFailed('payment-verified', { owner, reason: 'rpc_down', sent: false })

    const second = await claimFromBoth(instances, 'payment-verified')
    expect(second.filter((result) => result.claimed)).toHaveLength(1)
    expect(await instances[0].settlements.get('payment-verified')).toMatchObject({
      state: 'claimed',
      attempts: 2,
    })
  })

  test('only one of two instances taking over an expired claim wins', async () => {
    await instances[0].settlements.claimForSettlement('payment-stale', undefined, {
      owner: 'crashed',
      leaseMs: 10,
    })
    fixture.clock.now += 11
    const results = await claimFromBoth(instances, 'payment-stale')
    expect(results.filter((result) => result.claimed)).toHaveLength(1)
    expect((await instances[0].settlements.get('payment-stale'))?.attempts).toBe(2)
  })

  test('concurrent putIfAbsent of one key from two instances stores exactly one value', async () => {
    const results = await Promise.all(
      Array.from({ length: CLAIMS }, (_, index) =>
        pick(instances, index).keyValue<{ writer: number }>('idempotency').putIfAbsent('key-1', {
          writer: index,
        }),
      ),
    )
    const stored = results.filter((result) => result.stored)
    expect(stored).toHaveLength(1)
    const value = stored[0]?.stored === true ? stored[0].entry.value : undefined
    for (const result of results) if (!result.stored) expect(result.existing.value).toEqual(value)
  })
})
