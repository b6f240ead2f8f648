import type { FacilitatorClient } from '@open402/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SettlementView } from './facilitator-storage.js'
import { settlementRoutes } from './settlements-route.js'
import { type FacilitatorServer, startFacilitatorServer } from './start-facilitator-server.js'

const ID = 'a'.repeat(64)
const REFUSED_ID = 'c'.repeat(64)
const refusal = {
  stage: 'verify' as const,
  reason: 'invalid_exact_evm_insufficient_balance',
  message: 'balance 10 is below 1000',
  createdAt: Date.UTC(2026, 0, 1, 0, 0, 1),
}
const KEY = 'settlements-test-key-0123456789'
const record: SettlementView & { rawTransaction: string; claimedBy: string } = {
  id: ID,
  state: 'submitted',
  scheme: 'exact',
  network: 'eip155:31337',
  asset: '0xtoken',
  amount: '1000',
  payer: '0xpayer',
  payTo: '0xmerchant',
  transaction: '0xabc',
  reason: null,
  message: null,
  response: {
    success: false,
    errorReason: 'settlement_pending',
    transaction: '0xabc',
    network: 'eip155:31337',
  },
  attempts: 1,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 1, 0, 0, 5),
  rawTransaction: '0x02f8…',
  claimedBy: 'instance:request',
}

const facilitator: FacilitatorClient = {
  verify: async () => ({ isValid: true }),
  settle: async (_payload, requirements) => ({
    success: true,
    transaction: '',
    network: requirements.network,
  }),
  supported: async () => ({ kinds: [], extensions: [], signers: {} }),
}

describe('GET /settlements/:id', () => {
  const state = { down: false }
  let server: FacilitatorServer
  beforeAll(async () => {
    server = await startFacilitatorServer({
      facilitator,
      auth: { apiKeys: [KEY] },
      routes: settlementRoutes({
        async get(id) {
          if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at stack')
          return id === ID ? record : undefined
        },
        async lastRefusal(id) {
          if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at stack')
          return id === ID || id === REFUSED_ID ? refusal : undefined
        },
      }),
    })
  })
  afterAll(() => server.close())

  const get = (id: string, key = KEY) =>
    fetch(`${server.url}/settlements/${id}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })

  it('answers the public fields of a known payment, without its raw transaction or claim holder', async () => {
    const response = await get(ID)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      id: ID,
      state: 'submitted',
      scheme: 'exact',
      network: 'eip155:31337',
      asset: '0xtoken',
      amount: '1000',
      payer: '0xpayer',
      payTo: '0xmerchant',
      transaction: '0xabc',
      reason: null,
      message: null,
      response: record.response,
      attempts: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:05.000Z',
      lastRefusal: {
        stage: 'verify',
        reason: 'invalid_exact_evm_insufficient_balance',
        message: 'balance 10 is below 1000',
        at: '2026-01-01T00:00:01.000Z',
      },
    })
  })

  it('answers state refused with the latest refusal for a payment that was only ever refused', async () => {
    const response = await get(REFUSED_ID)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      id: REFUSED_ID,
      state: 'refused',
      lastRefusal: {
        stage: 'verify',
        reason: 'invalid_exact_evm_insufficient_balance',
        message: 'balance 10 is below 1000',
        at: '2026-01-01T00:00:01.000Z',
      },
    })
  })

  it('requires the API key like /settle', async () => {
    const response = await get(ID, '')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'unauthorized' })
  })

  it.each([
    ['unknown', 'b'.repeat(64)],
    ['malformed', 'not-a-payment-id'],
  ])('answers 404 not_found for an %s id', async (_name, id) => {
    const response = await get(id)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'not_found' })
  })

  it('answers 503 ledger_unavailable with one line when the database is down', async () => {
    state.down = true
    const response = await get(ID).finally(() => {
      state.down = false
    })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({
      error: 'ledger_unavailable',
      message: 'the settlement ledger is unavailable: connect ECONNREFUSED 127.0.0.1:5432',
    })
  })
})
