// Permit2 `exact` and `upto` on EVM across implementations, on the devnet (our Permit2 and the x402 proxies
// at their canonical addresses): the official @x402/evm 2.27 clients' payloads verify and settle through
// the open402 facilitator over HTTP, and open402's clients' payloads through the official facilitator over
// HTTP, with exact balance changes. Each facilitator settles from its own key.
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
import { startFacilitatorServer } from '@open402/facilitator'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createOfficialFacilitatorApp } from '../src/official/official-facilitator-app.js'
import { type RunningServer, serveFetch } from '../src/serve.js'
import { offer, officialClient, officialFacilitator, PERMIT2_PROXY } from './support/permit2-stack.js'

let devnet: Devnet<'evm'>
const running: RunningServer[] = []
let open402: FacilitatorClient
let official: FacilitatorClient
let officialKey: { address: `0x${string}`; privateKey: `0x${string}` }

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
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
  const officialAccount = accounts.others[15]
  if (!officialAccount) throw new Error('the devnet has fewer than 16 others accounts')
  officialKey = officialAccount
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

async function moneyOf(payer: `0x${string}`) {
  return Promise.all([
    tokenBalance(devnet, payer),
    tokenBalance(devnet, devnet.evm.accounts.merchant.address),
  ])
}

describe('Permit2 exact and upto between open402 and the official @x402/evm 2.27', () => {
  test('both facilitators advertise upto with extra.facilitatorAddress, their own settling key', async () => {
    const ours = await open402.supported()
    const theirs = await official.supported()
    const upto = (kinds: typeof ours.kinds) => kinds.find((kind) => kind.scheme === 'upto')
    expect(upto(ours.kinds)).toEqual({
      x402Version: 2,
      scheme: 'upto',
      network: devnet.evm.network,
      extra: { facilitatorAddress: devnet.evm.accounts.facilitator.address },
    })
    expect(upto(theirs.kinds)).toMatchObject({
      x402Version: 2,
      scheme: 'upto',
      network: devnet.evm.network,
      extra: { facilitatorAddress: officialKey.address },
    })
  })

  test('the official client pays an exact Permit2 offer; the open402 facilitator verifies and settles it', async () => {
    const payer = payerOf(0)
    const { required, requirements } = await offer(devnet, open402, 'exact', '$0.011')
    expect(requirements.extra).toMatchObject({ assetTransferMethod: 'permit2' })
    const payment = (await officialClient(devnet, payer).createPaymentPayload(
      required as never,
    )) as unknown as PaymentPayload
    expect(payment.payload).toMatchObject({ permit2Authorization: { spender: PERMIT2_PROXY.exact } })
    const [payerBefore, merchantBefore] = await moneyOf(payer.address)

    expect(await open402.verify(payment, requirements)).toMatchObject({ isValid: true, payer: payer.address })
    const settled = await open402.settle(payment, requirements)
    expect(settled).toMatchObject({ success: true, network: devnet.evm.network, payer: payer.address })
    expect(await moneyOf(payer.address)).toEqual([payerBefore - 11000n, merchantBefore + 11000n])
  })

  test('the official client pays an upto offer naming the open402 facilitator; it settles the charge', async () => {
    const payer = payerOf(1)
    const { required, requirements } = await offer(devnet, open402, 'upto', '$0.05')
    expect(requirements.extra).toMatchObject({
      assetTransferMethod: 'permit2',
      facilitatorAddress: devnet.evm.accounts.facilitator.address,
    })
    const payment = (await officialClient(devnet, payer).createPaymentPayload(
      required as never,
    )) as unknown as PaymentPayload
    expect(payment.payload).toMatchObject({
      permit2Authorization: {
        spender: PERMIT2_PROXY.upto,
        permitted: { amount: '50000' },
        witness: { facilitator: devnet.evm.accounts.facilitator.address },
      },
    })
    const [payerBefore, merchantBefore] = await moneyOf(payer.address)

    expect(await open402.verify(payment, requirements)).toMatchObject({ isValid: true, payer: payer.address })
    const settled = await open402.settle(payment, { ...requirements, amount: '31415' })
    expect(settled).toMatchObject({ success: true, payer: payer.address, amount: '31415' })
    expect(await moneyOf(payer.address)).toEqual([payerBefore - 31415n, merchantBefore + 31415n])
  })

  test('the open402 client pays an exact Permit2 offer; the official facilitator verifies and settles it', async () => {
    const payer = payerOf(2)
    const { network, token } = devnet.evm
    const { required, requirements } = await offer(devnet, official, 'exact', '$0.013')
    const client = createPaymentClient({
      schemes: [
        exactEvmClient({ account: privateKeyToAccount(payer.privateKey), assets: { [network]: token } }),
      ],
    })
    const payment = await client.createPaymentPayload(required)
    const [payerBefore, merchantBefore] = await moneyOf(payer.address)

    expect(await official.verify(payment, requirements)).toMatchObject({
      isValid: true,
      payer: payer.address,
    })
    const settled = await official.settle(payment, requirements)
    expect(settled).toMatchObject({ success: true, payer: payer.address })
    expect(await moneyOf(payer.address)).toEqual([payerBefore - 13000n, merchantBefore + 13000n])
  })

  test('the open402 client pays an upto offer naming the official facilitator; it settles the charge', async () => {
    const payer = payerOf(3)
    const { network, token } = devnet.evm
    const { required, requirements } = await offer(devnet, official, 'upto', '$0.04')
    expect(requirements.extra).toMatchObject({ facilitatorAddress: officialKey.address })
    const client = createPaymentClient({
      schemes: [
        uptoEvmClient({ account: privateKeyToAccount(payer.privateKey), assets: { [network]: token } }),
      ],
    })
    const payment = await client.createPaymentPayload(required)
    const [payerBefore, merchantBefore] = await moneyOf(payer.address)

    expect(await official.verify(payment, requirements)).toMatchObject({
      isValid: true,
      payer: payer.address,
    })
    const settled = await official.settle(payment, { ...requirements, amount: '27182' })
    expect(settled).toMatchObject({ success: true, payer: payer.address, amount: '27182' })
    expect(await moneyOf(payer.address)).toEqual([payerBefore - 27182n, merchantBefore + 27182n])
  })

  test('each facilitator refuses an upto payment naming the other one (only the named facilitator can settle)', async () => {
    const payer = payerOf(4)
    const { required, requirements } = await offer(devnet, official, 'upto', '$0.01')
    const payment = await createPaymentClient({
      schemes: [uptoEvmClient({ account: privateKeyToAccount(payer.privateKey) })],
    }).createPaymentPayload(required)
    expect(await open402.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'upto_facilitator_mismatch',
    })
    const { required: ours, requirements: ourRequirements } = await offer(devnet, open402, 'upto', '$0.01')
    const theirPayment = (await officialClient(devnet, payer).createPaymentPayload(
      ours as never,
    )) as unknown as PaymentPayload
    expect(await official.verify(theirPayment, ourRequirements)).toMatchObject({
      isValid: false,
      invalidReason: 'upto_facilitator_mismatch',
    })
  })
})
