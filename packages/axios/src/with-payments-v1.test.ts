import { createPaymentClient, isX402Error, maxAmount } from '@open402/core'
import { exactEvmClient } from '@open402/evm/client'
import axios, { isAxiosError } from 'axios'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  BASE_SEPOLIA_USDC,
  recoverV1Signer,
  startV1Server,
  V1_PAY_TO,
  V1_TRANSACTION,
} from '../../fetch/test/support/v1-server.js'
import { getPaymentResponse, withPayments } from './index.js'

// withPayments against an x402 V1 server over real HTTP (the fetch tests' V1 server).

const payer = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')

let v1: Awaited<ReturnType<typeof startV1Server>>
let baseUrl: string
/** The X-PAYMENT header of each request the V1 server saw, in order. */
const xPayments = () => v1.received.map((request) => request.xPayment)
beforeAll(async () => {
  v1 = await startV1Server()
  baseUrl = v1.url
})
afterAll(() => v1.close())

const api = (options?: Parameters<typeof withPayments>[2]) =>
  withPayments(
    axios.create({ baseURL: baseUrl }),
    createPaymentClient({ schemes: [exactEvmClient({ account: payer })], policies: [maxAmount('$0.10')] }),
    options,
  )

describe('withPayments with an x402 V1 server', () => {
  test('pays a V1 402 with X-PAYMENT, keeps the JSON body, and decodes X-PAYMENT-RESPONSE', async () => {
    const steps: string[] = []
    const paying = api({
      onPaymentRequired: (required) => {
        steps.push(`required ${required.accepts[0]?.amount} on ${required.accepts[0]?.network}`)
      },
      onPayment: (payment) => {
        steps.push(`paying on ${payment.accepted.network}`)
      },
      onPaymentResponse: (settlement) => {
        steps.push(`settled on ${settlement?.network}`)
      },
    })
    const start = xPayments().length

    const response = await paying.post('/echo', { question: 'rain?' })

    expect(response.status).toBe(200)
    expect(response.data).toEqual({ received: '{"question":"rain?"}' })
    expect(getPaymentResponse(response)).toEqual({
      success: true,
      transaction: V1_TRANSACTION,
      network: 'eip155:84532',
      payer: payer.address,
    })
    expect(steps).toEqual([
      'required 10000 on eip155:84532',
      'paying on eip155:84532',
      'settled on eip155:84532',
    ])
    const sent = xPayments().slice(start)
    expect(sent[0]).toBeUndefined()
    const payment = JSON.parse(Buffer.from(sent[1] ?? '', 'base64').toString('utf8'))
    expect(payment).toMatchObject({ x402Version: 1, scheme: 'exact', network: 'base-sepolia' })
    expect(payment.payload.authorization).toMatchObject({
      from: payer.address,
      to: V1_PAY_TO,
      value: '10000',
    })
    const signer = await recoverV1Signer(payment)
    expect(signer).toBe(payer.address)
  })

  test('a second V1 402 after paying rejects as axios does, having paid once', async () => {
    const start = xPayments().length
    const error = await api()
      .get('/stubborn')
      .catch((caught: unknown) => caught)
    expect(isAxiosError(error) && error.response?.status).toBe(402)
    expect(
      xPayments()
        .slice(start)
        .map((header) => header !== undefined),
    ).toEqual([false, true])
  })

  test('a policy refuses a V1 offer with its reason in CAIP-2 terms, and nothing is sent', async () => {
    const start = xPayments().length
    const error = await api()
      .get('/premium')
      .catch((caught: unknown) => caught)
    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toContain(
      `offer 1 (exact on eip155:84532, 500000 of ${BASE_SEPOLIA_USDC}): maxAmount: 500000 atomic units exceed the cap of $0.1`,
    )
    expect(xPayments().length - start).toBe(1)
  })
})
