import { type Devnet, startDevnet } from '@open402/devnet'
import { getPaymentResponse } from '@open402/fetch'
import { afterAll, beforeAll, describe, test } from 'vitest'
import {
  startOfficialFacilitatorServer,
  startOfficialResourceServer,
} from '../src/official/start-official-servers.js'
import { createOpen402PaidFetch } from '../src/open402/open402-client.js'
import { PAID_PATH } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import { balances, expectSettledPayment } from './support/expect-settled.js'

describe('the open402 client pays an official @x402/hono resource server and official facilitator', () => {
  let devnet: Devnet
  let facilitator: RunningServer
  let server: RunningServer

  beforeAll(async () => {
    devnet = await startDevnet()
    facilitator = await startOfficialFacilitatorServer(devnet, devnet.evm.accounts.facilitator.privateKey)
    server = await startOfficialResourceServer(devnet, facilitator.url)
  })
  afterAll(async () => {
    await server?.close()
    await facilitator?.close()
    await devnet?.stop()
  })

  test('wrapFetch with exactEvmClient pays GET /weather and receives the settled transfer', async () => {
    const before = await balances(devnet)

    const response = await createOpen402PaidFetch(
      devnet,
      devnet.evm.accounts.payer,
    )(`${server.url}${PAID_PATH}`)

    await expectSettledPayment(devnet, response, getPaymentResponse(response), before)
  })
})
