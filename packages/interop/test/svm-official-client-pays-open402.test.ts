import { type Devnet, startDevnet } from '@open402/devnet'
import { decodePaymentResponseHeader } from '@x402/fetch'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createOfficialSvmPaidFetch } from '../src/official/official-svm-client.js'
import { startOpen402SvmFacilitatorServer } from '../src/open402/open402-svm-facilitator.js'
import { startOpen402SvmHonoServer } from '../src/open402/open402-svm-resource-server.js'
import { PAID_PATH, PRICE_ATOMIC } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import { expectSvmSettledPayment, svmBalances } from './support/expect-svm-settled.js'

describe('on Solana, the official @x402/fetch client pays an open402 resource server and facilitator', () => {
  let devnet: Devnet<'svm'>
  let facilitator: RunningServer
  let server: RunningServer

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'] })
    facilitator = await startOpen402SvmFacilitatorServer(devnet, devnet.svm.accounts.facilitator)
    server = await startOpen402SvmHonoServer(devnet, facilitator.url)
  })
  afterAll(async () => {
    await server?.close()
    await facilitator?.close()
    await devnet?.stop()
  })

  test('@open402/hono answers an unpaid request with 402 offering $0.001 in devnet USDC with our fee payer', async () => {
    const response = await fetch(`${server.url}${PAID_PATH}`)

    expect(response.status).toBe(402)
    const header = response.headers.get('PAYMENT-REQUIRED') ?? ''
    const paymentRequired = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
    expect(paymentRequired).toMatchObject({
      x402Version: 2,
      resource: { url: `${server.url}${PAID_PATH}` },
      accepts: [
        {
          scheme: 'exact',
          network: devnet.svm.network,
          amount: PRICE_ATOMIC.toString(),
          asset: devnet.svm.mint.address,
          payTo: devnet.svm.accounts.merchant.address,
          extra: { feePayer: devnet.svm.accounts.facilitator.address },
        },
      ],
    })
  })

  test('the official client pays GET /weather and receives the confirmed transfer', async () => {
    const before = await svmBalances(devnet)
    const paidFetch = await createOfficialSvmPaidFetch(devnet, devnet.svm.accounts.payer)

    const response = await paidFetch(`${server.url}${PAID_PATH}`)

    const header = response.headers.get('PAYMENT-RESPONSE')
    expect(header).not.toBeNull()
    await expectSvmSettledPayment(devnet, response, decodePaymentResponseHeader(header ?? ''), before)
  })
})
