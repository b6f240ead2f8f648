import { type Devnet, startDevnet } from '@open402/devnet'
import { getPaymentResponse } from '@open402/fetch'
import { afterAll, beforeAll, describe, test } from 'vitest'
import { officialSvmStack } from '../src/official/official-svm-stack.js'
import { open402SvmStack } from '../src/open402/open402-svm-stack.js'
import { PAID_PATH } from '../src/paid-route.js'
import type { RunningServer } from '../src/serve.js'
import type { SvmStack } from '../src/svm-stack.js'
import { expectSvmSettledPayment, svmBalances } from './support/expect-svm-settled.js'

// The wire between resource server and facilitator on Solana (POST /verify, POST /settle, and GET /supported
// carrying extra.feePayer) across implementations: each resource server talks over HTTP to the other
// implementation's facilitator, and both clients pay it.
describe.each([
  { server: officialSvmStack, facilitator: open402SvmStack },
  { server: open402SvmStack, facilitator: officialSvmStack },
])(
  'on Solana, a $server.name resource server settling through the $facilitator.name facilitator',
  ({ server, facilitator }) => {
    let devnet: Devnet<'svm'>
    const running: RunningServer[] = []
    let url: string

    beforeAll(async () => {
      devnet = await startDevnet({ chains: ['svm'] })
      const facilitatorServer = await facilitator.startFacilitatorServer(
        devnet,
        devnet.svm.accounts.facilitator,
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

    test.each<SvmStack>([officialSvmStack, open402SvmStack])(
      'serves GET /weather paid by the $name client',
      async (client) => {
        const before = await svmBalances(devnet)
        const paidFetch = await client.createPaidFetch(devnet, devnet.svm.accounts.payer)

        const response = await paidFetch(url)

        await expectSvmSettledPayment(devnet, response, getPaymentResponse(response.clone()), before)
      },
    )
  },
)
