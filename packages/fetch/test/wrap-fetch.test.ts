import {
  isX402Error,
  maxAmount,
  type PaymentPayload,
  type PaymentPolicy,
  type PaymentRequired,
  type SettleResponse,
} from '@open402/core'
import type { Devnet } from '@open402/devnet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getPaymentResponse, wrapFetch } from '../src/index.js'
import { type PaidSite, startPaidSite } from './support/paid-site.js'

const PRICE_ATOMIC = 10_000n // $0.01 of a 6-decimal token

let site: PaidSite
let devnet: Devnet
let baseUrl: string
let hits: string[]

beforeAll(async () => {
  site = await startPaidSite()
  ;({ devnet, baseUrl, hits } = site)
})

afterAll(async () => {
  await site?.stop()
})

const payerClient = (policies: PaymentPolicy[] = []) => site.payerClient(policies)
const merchantBalance = () => site.merchantBalance()
const hitsSince = (start: number) => hits.slice(start)

describe('wrapFetch', () => {
  it('pays a 402 and returns the 200 with the settlement decoded', async () => {
    const steps: string[] = []
    const paidFetch = wrapFetch(fetch, payerClient(), {
      onPaymentRequired: (required: PaymentRequired) => {
        steps.push(`required ${required.accepts[0]?.amount}`)
      },
      onPayment: (payment: PaymentPayload) => {
        steps.push(`paying ${payment.accepted.amount}`)
      },
      onPaymentResponse: (settlement: SettleResponse | undefined) => {
        steps.push(`settled ${settlement?.success}`)
      },
    })
    const before = await merchantBalance()
    const start = hits.length

    const response = await paidFetch(`${baseUrl}/report`)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ report: 'sunny' })
    const settlement = getPaymentResponse(response)
    expect(settlement).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(steps).toEqual(['required 10000', 'paying 10000', 'settled true'])
    expect(hitsSince(start)).toEqual(['GET /report unsigned', 'GET /report signed'])
    expect(await merchantBalance()).toBe(before + PRICE_ATOMIC)
  })

  it('preserves a string POST body on the paid retry', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const response = await paidFetch(`${baseUrl}/echo`, { method: 'POST', body: 'the question' })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ received: 'the question' })
    expect(getPaymentResponse(response)?.success).toBe(true)
  })

  it('preserves a ReadableStream body of a Request on the paid retry', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed '))
        controller.enqueue(new TextEncoder().encode('question'))
        controller.close()
      },
    })
    const request = new Request(`${baseUrl}/echo`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit)
    const response = await paidFetch(request)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ received: 'streamed question' })
  })

  it('rejects with payment_refused_by_policy and pays nothing when the price exceeds the cap', async () => {
    const paidFetch = wrapFetch(fetch, payerClient([maxAmount('$0.001')]))
    const before = await merchantBalance()
    const start = hits.length

    const error = await paidFetch(`${baseUrl}/report`).then(
      () => undefined,
      (reason: unknown) => reason,
    )

    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toContain(`paying for GET ${baseUrl}/report: `)
    expect((error as Error).message).toMatch(/exceed the cap of \$0\.001/)
    expect(hitsSince(start)).toEqual(['GET /report unsigned'])
    expect(await merchantBalance()).toBe(before)
  })

  it('returns a 402 without PAYMENT-REQUIRED unchanged', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const response = await paidFetch(`${baseUrl}/no-header`)
    expect(response.status).toBe(402)
    expect(await response.json()).toEqual({ message: 'pay by other means' })
    expect(hitsSince(start)).toEqual(['GET /no-header unsigned'])
  })

  it('rejects with invalid_header and pays nothing when PAYMENT-REQUIRED is malformed', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const error = await paidFetch(`${baseUrl}/garbled`).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(isX402Error(error, 'invalid_header')).toBe(true)
    expect((error as Error).message).toMatch(/PAYMENT-REQUIRED/)
    expect(hitsSince(start)).toEqual(['GET /garbled unsigned'])
  })

  it('retries only once when the server answers 402 again', async () => {
    const paidFetch = wrapFetch(fetch, payerClient())
    const start = hits.length
    const response = await paidFetch(`${baseUrl}/stubborn`)
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
    expect(hitsSince(start)).toEqual(['GET /stubborn unsigned', 'GET /stubborn signed'])
  })
})
