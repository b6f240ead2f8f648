import { type Devnet, startDevnet } from '@open402/devnet'
import { getPaymentResponse } from '@open402/fetch'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { officialSvmStack } from '../src/official/official-svm-stack.js'
import { createOpen402SvmPaidFetch } from '../src/open402/open402-svm-client.js'
import { PAID_PATH, PRICE_ATOMIC } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import { expectSvmSettledPayment, svmBalances } from './support/expect-svm-settled.js'

describe('on Solana, the open402 client pays an official @x402/hono resource server and official facilitator', () => {
  let devnet: Devnet<'svm'>
  let facilitator: RunningServer
  let server: RunningServer

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'] })
    facilitator = await officialSvmStack.startFacilitatorServer(devnet, devnet.svm.accounts.facilitator)
    server = await officialSvmStack.startResourceServer(devnet, facilitator.url)
  })
  afterAll(async () => {
    await server?.close()
    await facilitator?.close()
    await devnet?.stop()
  })

  test('the official server offers $0.001 as 1000 units of the devnet USDC mint with the official fee payer', async () => {
    const response = await fetch(`${server.url}${PAID_PATH}`)

    expect(response.status).toBe(402)
    const header = response.headers.get('PAYMENT-REQUIRED') ?? ''
    const paymentRequired = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
    expect(paymentRequired.accepts).toMatchObject([
      {
        scheme: 'exact',
        network: devnet.svm.network,
        amount: PRICE_ATOMIC.toString(),
        asset: devnet.svm.mint.address,
        payTo: devnet.svm.accounts.merchant.address,
        extra: { feePayer: devnet.svm.accounts.facilitator.address },
      },
    ])
  })

  test('wrapFetch with exactSvmClient pays GET /weather and receives the confirmed transfer', async () => {
    const before = await svmBalances(devnet)
    const paidFetch = await createOpen402SvmPaidFetch(devnet, devnet.svm.accounts.payer)

    const response = await paidFetch(`${server.url}${PAID_PATH}`)

    await expectSvmSettledPayment(devnet, response, getPaymentResponse(response), before)
  })
})
