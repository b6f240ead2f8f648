// The eip2612GasSponsoring extension across implementations, on a devnet where nobody approved Permit2
// (`permit2Approval: false`): the official clients' EIP-2612 permits settle through the open402 facilitator,
// and open402's clients' permits through the official facilitator, from zero allowance, with exact balances.
import {
  createFacilitator,
  createHttpFacilitatorClient,
  createPaymentClient,
  type FacilitatorClient,
  type PaymentPayload,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient, uptoEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator, uptoEvmFacilitator } from '@open402/evm/facilitator'
import { declareEip2612GasSponsoring } from '@open402/evm/server'
import { startFacilitatorServer } from '@open402/facilitator'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createOfficialFacilitatorApp } from '../src/official/official-facilitator-app.js'
import { type RunningServer, serveFetch } from '../src/serve.js'
import { offer, officialClient, officialFacilitator } from './support/permit2-stack.js'

let devnet: Devnet<'evm'>
const running: RunningServer[] = []
let open402: FacilitatorClient
let official: FacilitatorClient

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'], permit2Approval: false })
  const { network, rpcUrl, accounts } = devnet.evm
  const key = privateKeyToAccount(accounts.facilitator.privateKey)
  const networks = { [network]: { rpcUrl } }
  const ours = await startFacilitatorServer({
    facilitator: createFacilitator({
      schemes: [
        exactEvmFacilitator({ signer: key, networks }),
        uptoEvmFacilitator({ signer: key, networks }),
      ],
    }),
  })
  running.push(ours)
  const officialKey = accounts.others[15]
  if (!officialKey) throw new Error('the devnet has fewer than 16 others accounts')
  const theirs = await serveFetch(
    createOfficialFacilitatorApp(officialFacilitator(devnet, officialKey.privateKey)).fetch,
  )
  running.push(theirs)
  open402 = createHttpFacilitatorClient({ url: ours.url })
  official = createHttpFacilitatorClient({ url: theirs.url })
})
afterAll(async () => {
  for (const server of running.reverse()) await server.close()
  await devnet?.stop()
})

const payerOf = (index: number) => {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}]`)
  return account
}
const moneyOf = (payer: `0x${string}`) =>
  Promise.all([tokenBalance(devnet, payer), tokenBalance(devnet, devnet.evm.accounts.merchant.address)])
const permitOf = (payment: PaymentPayload) =>
  (payment.extensions?.eip2612GasSponsoring as { info?: Record<string, string> } | undefined)?.info

describe('eip2612GasSponsoring between open402 and the official @x402/evm 2.27', () => {
  test.each(['exact', 'upto'] as const)(
    'the official client signs a permit for a %s offer; the open402 facilitator settles it from zero allowance',
    async (scheme) => {
      const payer = payerOf(scheme === 'exact' ? 0 : 1)
      const { required, requirements } = await offer(
        devnet,
        open402,
        scheme,
        '$0.02',
        declareEip2612GasSponsoring(),
      )
      const payment = (await officialClient(devnet, payer, devnet.evm.rpcUrl).createPaymentPayload(
        required as never,
      )) as unknown as PaymentPayload
      expect(permitOf(payment)).toMatchObject({ from: payer.address, amount: '20000' })
      const [payerBefore, merchantBefore] = await moneyOf(payer.address)
      expect(await open402.verify(payment, requirements)).toMatchObject({
        isValid: true,
        payer: payer.address,
      })
      const charge = scheme === 'exact' ? 20000n : 15000n
      const settled = await open402.settle(payment, { ...requirements, amount: charge.toString() })
      expect(settled).toMatchObject({ success: true, payer: payer.address })
      expect(await moneyOf(payer.address)).toEqual([payerBefore - charge, merchantBefore + charge])
    },
  )

  test.each(['exact', 'upto'] as const)(
    'the open402 client signs a permit for a %s offer; the official facilitator settles it from zero allowance',
    async (scheme) => {
      const payer = payerOf(scheme === 'exact' ? 2 : 3)
      const { network, token, rpcUrl } = devnet.evm
      const { required, requirements } = await offer(
        devnet,
        official,
        scheme,
        '$0.02',
        declareEip2612GasSponsoring(),
      )
      const options = {
        account: privateKeyToAccount(payer.privateKey),
        assets: { [network]: token },
        rpc: { [network]: rpcUrl },
      }
      const client = createPaymentClient({
        schemes: [scheme === 'exact' ? exactEvmClient(options) : uptoEvmClient(options)],
      })
      const payment = await client.createPaymentPayload(required)
      expect(permitOf(payment)).toMatchObject({ from: payer.address, amount: '20000' })
      const [payerBefore, merchantBefore] = await moneyOf(payer.address)
      expect(await official.verify(payment, requirements)).toMatchObject({
        isValid: true,
        payer: payer.address,
      })
      const charge = scheme === 'exact' ? 20000n : 15000n
      const settled = await official.settle(payment, { ...requirements, amount: charge.toString() })
      expect(settled).toMatchObject({ success: true, payer: payer.address })
      expect(await moneyOf(payer.address)).toEqual([payerBefore - charge, merchantBefore + charge])
    },
  )
})
