import { createPaymentClient, isX402Error, maxAmount, type PaymentPayload } from '@open402/core'
import { exactEvmClient } from '@open402/evm/client'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  BASE_SEPOLIA_USDC,
  recoverV1Signer,
  startV1Server,
  V1_PAY_TO,
  V1_TRANSACTION,
} from '../test/support/v1-server.js'
import { getPaymentResponse, wrapFetch } from './index.js'

// wrapFetch against an x402 V1 server over real HTTP (test/support/v1-server.ts).

const payer = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')

let v1: Awaited<ReturnType<typeof startV1Server>>
let baseUrl: string
let received: Awaited<ReturnType<typeof startV1Server>>['received']
beforeAll(async () => {
  v1 = await startV1Server()
  baseUrl = v1.url
  received = v1.received
})
afterAll(() => v1.close())

const client = () =>
  createPaymentClient({ schemes: [exactEvmClient({ account: payer })], policies: [maxAmount('$0.10')] })

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.catch((caught: unknown) => caught)
  if (!isX402Error(error)) throw new Error(`expected an X402Error, got ${String(error)}`)
  return { code: error.code, message: error.message }
}

describe('wrapFetch with an x402 V1 server', () => {
  test('pays a V1 402 body with X-PAYMENT and decodes X-PAYMENT-RESPONSE in the V2 shape', async () => {
    const steps: string[] = []
    const paidFetch = wrapFetch(fetch, client(), {
      onPaymentRequired: (required) => {
        steps.push(`required ${required.accepts[0]?.amount} on ${required.accepts[0]?.network}`)
      },
      onPayment: (payment: PaymentPayload) => {
        steps.push(`paying ${payment.accepted.amount} on ${payment.accepted.network}`)
      },
      onPaymentResponse: (settlement) => {
        steps.push(`settled ${settlement?.success} on ${settlement?.network}`)
      },
    })
    const start = received.length

    const response = await paidFetch(`${baseUrl}/report`)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ report: 'sunny' })
    expect(getPaymentResponse(response)).toEqual({
      success: true,
      transaction: V1_TRANSACTION,
      network: 'eip155:84532',
      payer: payer.address,
    })
    expect(steps).toEqual([
      'required 10000 on eip155:84532',
      'paying 10000 on eip155:84532',
      'settled true on eip155:84532',
    ])
    const [unpaid, paid] = received.slice(start)
    expect(unpaid?.xPayment).toBeUndefined()
    const sent = JSON.parse(Buffer.from(paid?.xPayment ?? '', 'base64').toString('utf8'))
    expect(sent).toEqual({
      x402Version: 1,
      scheme: 'exact',
      network: 'base-sepolia',
      payload: { signature: expect.any(String), authorization: expect.any(Object) },
    })
    expect(sent.payload.authorization).toMatchObject({ from: payer.address, to: V1_PAY_TO, value: '10000' })
    const signer = await recoverV1Signer(sent)
    expect(signer).toBe(payer.address)
  })

  test('pays once: a second V1 402 is returned as is', async () => {
    const start = received.length
    const response = await wrapFetch(fetch, client())(`${baseUrl}/stubborn`)
    expect(response.status).toBe(402)
    expect(await response.json()).toMatchObject({ x402Version: 1 })
    expect(received.slice(start).map(({ xPayment }) => xPayment !== undefined)).toEqual([false, true])
  })

  test('a policy refuses a V1 offer with its reason, in CAIP-2 terms, and nothing is sent', async () => {
    const start = received.length
    expect(await refusal(wrapFetch(fetch, client())(`${baseUrl}/premium`))).toEqual({
      code: 'payment_refused_by_policy',
      message: `paying for GET ${baseUrl}/premium: no acceptable payment option: offer 1 (exact on eip155:84532, 500000 of ${BASE_SEPOLIA_USDC}): maxAmount: 500000 atomic units exceed the cap of $0.1 (100000 units at 6 decimals)`,
    })
    expect(received.length - start).toBe(1)
  })

  test('an offer on an unknown V1 network is refused, naming the network', async () => {
    const { code, message } = await refusal(wrapFetch(fetch, client())(`${baseUrl}/elsewhere`))
    expect(code).toBe('no_scheme_registered')
    expect(message).toContain('"kairos-testnet" is not an x402 V1 network name open402 knows')
  })

  test('a malformed V1 body rejects with invalid_header', async () => {
    const { code, message } = await refusal(wrapFetch(fetch, client())(`${baseUrl}/garbled`))
    expect(code).toBe('invalid_header')
    expect(message).toMatch(/^402 body \(x402 V1\): accepts\.0\./)
  })

  test('a 402 that is not JSON is returned unchanged, body intact', async () => {
    const response = await wrapFetch(fetch, client())(`${baseUrl}/html`)
    expect(response.status).toBe(402)
    expect(await response.text()).toBe('<p>{"x402Version":1} pay on our website</p>')
  })

  test('a request that already carries X-PAYMENT is not paid again', async () => {
    const start = received.length
    const response = await wrapFetch(fetch, client())(`${baseUrl}/stubborn`, {
      headers: { 'X-PAYMENT': 'e30=' },
    })
    expect(response.status).toBe(402)
    expect(received.length - start).toBe(1)
  })
})
