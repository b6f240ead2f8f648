import { type Devnet, startDevnet } from '@open402/devnet'
import { getPaymentResponse } from '@open402/fetch'
import { afterAll, beforeAll, describe, test } from 'vitest'
import { officialStack } from '../src/official/official-stack.js'
import { open402Stack } from '../src/open402/open402-stack.js'
import { PAID_PATH } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import type { Stack } from '../src/stack.js'
import { balances, expectSettledPayment } from './support/expect-settled.js'

// The wire between resource server and facilitator (POST /verify, POST /settle, GET /supported) across
// implementations: each resource server talks over HTTP to the other implementation's facilitator.
describe.each([
  { server: officialStack, facilitator: open402Stack },
  { server: open402Stack, facilitator: officialStack },
])(
  'a $server.name resource server settling through the $facilitator.name facilitator',
  ({ server, facilitator }) => {
    let devnet: Devnet
    const running: RunningServer[] = []
    let url: string

    beforeAll(async () => {
      devnet = await startDevnet()
      const facilitatorServer = await facilitator.startFacilitatorServer(
        devnet,
        devnet.evm.accounts.facilitator.privateKey,
      )
      running.push(facilitatorServer)
      const resourceServer = await server.startResourceServer(devnet, facilitatorServer.url)
      running.push(resourceServer)
      url = `${resourceServer.url}${PAID_PATH}`
    })
    afterAll(async () => {
      for (const each of running.reverse()) await each.close()
      await devnet?.stop()
    })

    test.each<Stack>([officialStack, open402Stack])(
      'serves GET /weather paid by the $name client',
      async (client) => {
        const before = await balances(devnet)

        const response = await client.createPaidFetch(devnet, devnet.evm.accounts.payer)(url)

        await expectSettledPayment(devnet, response, getPaymentResponse(response.clone()), before)
      },
    )
  },
)
