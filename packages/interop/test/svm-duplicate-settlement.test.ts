import { type Devnet, startDevnet } from '@open402/devnet'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { officialSvmStack } from '../src/official/official-svm-stack.js'
import { startOpen402SvmFacilitatorServer } from '../src/open402/open402-svm-facilitator.js'
import { startOpen402SvmHonoServer } from '../src/open402/open402-svm-resource-server.js'
import { open402SvmStack } from '../src/open402/open402-svm-stack.js'
import { PAID_PATH, PRICE_ATOMIC } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import type { FacilitatorRequestBody } from '../src/stack.js'
import type { SvmStack } from '../src/svm-stack.js'
import { BASE58_SIGNATURE, confirmedTransfers, svmBalances } from './support/expect-svm-settled.js'

const CONCURRENT_SUBMISSIONS = 8

interface SettleAnswer {
  success: boolean
  errorReason?: string
  transaction: string
  network: string
  payer?: string
}

async function settle(facilitatorUrl: string, body: FacilitatorRequestBody): Promise<SettleAnswer> {
  const response = await fetch(`${facilitatorUrl}/settle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as SettleAnswer
}

// One signed Solana payment, submitted to the open402 facilitator service (POST /settle over HTTP) many times,
// lands once: the facilitator claims each transaction's signature before sending it.
describe.each<SvmStack>([open402SvmStack, officialSvmStack])(
  'on Solana, one payment signed by the $name client and settled repeatedly through the open402 facilitator service',
  (client) => {
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

    async function signPayment(): Promise<FacilitatorRequestBody> {
      const unpaid = await fetch(`${server.url}${PAID_PATH}`)
      expect(unpaid.status).toBe(402)
      const header = unpaid.headers.get('PAYMENT-REQUIRED') ?? ''
      const paymentRequired: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
      return client.createFacilitatorRequest(devnet, devnet.svm.accounts.payer, paymentRequired)
    }

    test(`${CONCURRENT_SUBMISSIONS} concurrent POST /settle of the same payment settle exactly one transfer`, async () => {
      const body = await signPayment()
      const before = await svmBalances(devnet)

      const answers = await Promise.all(
        Array.from({ length: CONCURRENT_SUBMISSIONS }, () => settle(facilitator.url, body)),
      )

      const settled = answers.filter((answer) => answer.success)
      const refused = answers.filter((answer) => !answer.success)
      expect(settled).toHaveLength(1)
      expect(settled[0]).toMatchObject({
        network: devnet.svm.network,
        payer: devnet.svm.accounts.payer.address,
      })
      expect(settled[0]?.transaction).toMatch(BASE58_SIGNATURE)
      expect(refused.map((answer) => answer.errorReason)).toEqual(
        Array(CONCURRENT_SUBMISSIONS - 1).fill('duplicate_settlement'),
      )
      expect(await confirmedTransfers(devnet, settled[0]?.transaction ?? '')).toHaveLength(1)
      const after = await svmBalances(devnet)
      expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
      expect(after.merchant - before.merchant).toBe(PRICE_ATOMIC)
    })

    test('the same payment sent again after it settled is refused as a duplicate, also by a fresh facilitator', async () => {
      const body = await signPayment()
      const before = await svmBalances(devnet)

      const first = await settle(facilitator.url, body)
      const second = await settle(facilitator.url, body)
      // A second service shares no memory with the first: it finds the signature on chain instead.
      const fresh = await startOpen402SvmFacilitatorServer(devnet, devnet.svm.accounts.facilitator)
      const third = await settle(fresh.url, body).finally(() => fresh.close())

      expect(first).toMatchObject({ success: true, network: devnet.svm.network })
      expect(first.transaction).toMatch(BASE58_SIGNATURE)
      expect(second).toMatchObject({ success: false, errorReason: 'duplicate_settlement' })
      expect(third).toMatchObject({ success: false, errorReason: 'duplicate_settlement' })
      const after = await svmBalances(devnet)
      expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
      expect(after.merchant - before.merchant).toBe(PRICE_ATOMIC)
    })
  },
)
