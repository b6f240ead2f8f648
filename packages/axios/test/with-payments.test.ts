import { budget, isX402Error, type PaymentPolicy } from '@open402/core'
import type { Devnet } from '@open402/devnet'
import axios, { isAxiosError } from 'axios'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PaidSite, startPaidSite } from '../../fetch/test/support/paid-site.js'
import { getPaymentResponse, withPayments } from '../src/index.js'

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
const api = (policies: PaymentPolicy[] = [], options?: Parameters<typeof withPayments>[2]) =>
  withPayments(axios.create({ baseURL: baseUrl }), payerClient(policies), options)

describe('withPayments', () => {
  it('pays a 402 and resolves the 200 with the settlement decoded', async () => {
    const steps: string[] = []
    const paying = api([], {
      onPaymentRequired: (required) => {
        steps.push(`required ${required.accepts[0]?.amount}`)
      },
      onPayment: (payment) => {
        steps.push(`paying ${payment.accepted.amount}`)
      },
      onPaymentResponse: (settlement) => {
        steps.push(`settled ${settlement?.success}`)
      },
    })
    const before = await merchantBalance()
    const start = hits.length

    const response = await paying.get('/report')

    expect(response.status).toBe(200)
    expect(response.data).toEqual({ report: 'sunny' })
    const settlement = getPaymentResponse(response)
    expect(settlement).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(steps).toEqual(['required 10000', 'paying 10000', 'settled true'])
    expect(hits.slice(start)).toEqual(['GET /report unsigned', 'GET /report signed'])
    expect(await merchantBalance()).toBe(before + PRICE_ATOMIC)
  })

  it('preserves a JSON POST body and its content type on the paid retry', async () => {
    const response = await api().post('/echo', { question: 'rain?' })
    expect(response.status).toBe(200)
    expect(response.data).toEqual({
      received: '{"question":"rain?"}',
      type: expect.stringContaining('application/json'),
    })
    expect(getPaymentResponse(response)?.success).toBe(true)
  })

  it('preserves a plain string POST body on the paid retry', async () => {
    const response = await api().post('/echo', 'not json ', { headers: { 'Content-Type': 'text/plain' } })
    expect(response.data).toEqual({ received: 'not json ', type: 'text/plain' })
  })

  it('rejects a budget refusal with the X402Error and pays nothing', async () => {
    const paying = api([budget({ max: '$0.015', per: 'host' })])
    await paying.get('/report')
    const before = await merchantBalance()
    const start = hits.length

    const error = await paying.get('/report').then(
      () => undefined,
      (reason: unknown) => reason,
    )

    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    const host = new URL(baseUrl).host
    expect((error as Error).message).toBe(
      `paying for GET ${baseUrl}/report: no acceptable payment option: offer 1 (exact on ${devnet.evm.network}, 10000 of ${devnet.evm.token.address}): budget(per host ${host}, $0.015): would spend $0.02 (spent $0.01)`,
    )
    expect(hits.slice(start)).toEqual(['GET /report unsigned'])
    expect(await merchantBalance()).toBe(before)
  })

  it('retries only once when the server answers 402 again, rejecting with that 402', async () => {
    const start = hits.length
    const error = await api()
      .get('/stubborn')
      .then(
        () => undefined,
        (reason: unknown) => reason,
      )
    expect(isAxiosError(error) && error.response?.status).toBe(402)
    expect(hits.slice(start)).toEqual(['GET /stubborn unsigned', 'GET /stubborn signed'])
  })

  it('pays when validateStatus accepts 402 too', async () => {
    const paying = api()
    const response = await paying.get('/report', { validateStatus: () => true })
    expect(response.status).toBe(200)
    expect(getPaymentResponse(response)?.success).toBe(true)
  })
})
