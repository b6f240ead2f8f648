// Permit2 payments from payers who never approved Permit2 (devnet started with `permit2Approval: false`):
// refused as `permit2_allowance_required` (HTTP 412 at the resource server), unless the route declares
// `eip2612GasSponsoring` and the client signs an EIP-2612 permit that the facilitator submits with the
// settlement (`settleWithPermit`), so the payment settles from zero allowance.
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  type PaymentPayload,
  type PaymentRequired,
  type PaymentRequirements,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactEvmClient } from '../src/exact/client/exact-evm-client.js'
import { exactEvmFacilitator } from '../src/exact/facilitator/exact-evm-facilitator.js'
import { exactEvmServer } from '../src/exact/server/exact-evm-server.js'
import { declareEip2612GasSponsoring } from '../src/shared/eip2612-gas-sponsoring.js'
import { PERMIT2_ADDRESS } from '../src/shared/permit2.js'
import { uptoEvmClient } from '../src/upto/client/upto-evm-client.js'
import { uptoEvmFacilitator } from '../src/upto/facilitator/upto-evm-facilitator.js'
import { uptoEvmServer } from '../src/upto/server/upto-evm-server.js'
import {
  otherEvmAccount,
  permit2Allowance,
  permit2Requirements,
  signedPermit2Payment,
} from './permit2-helpers.js'

let devnet: Devnet<'evm'>
let exact: ReturnType<typeof exactEvmFacilitator>
let upto: ReturnType<typeof uptoEvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'], permit2Approval: false })
  const signer = privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey)
  const networks = { [devnet.evm.network]: devnet.evm.rpcUrl }
  exact = exactEvmFacilitator({ signer, networks })
  upto = uptoEvmFacilitator({ signer, networks })
})
afterAll(async () => {
  await devnet?.stop()
})

const account = (index: number) => privateKeyToAccount(otherEvmAccount(devnet, index).privateKey)
const permitOf = (payment: PaymentPayload) =>
  (payment.extensions?.eip2612GasSponsoring as { info?: Record<string, string> } | undefined)?.info

/** A 402 for `route` built by a resource server over `facilitator` and `server`, with its extensions. */
async function paymentRequired(
  facilitator: ReturnType<typeof exactEvmFacilitator>,
  server: ReturnType<typeof exactEvmServer>,
  scheme: 'exact' | 'upto',
  price: string,
  extensions?: Record<string, unknown>,
) {
  const resourceServer = createResourceServer({
    facilitator: createFacilitator({ schemes: [facilitator] }),
    schemes: [server],
  })
  const { network, accounts } = devnet.evm
  const accepts = await resourceServer.buildRequirements(
    { accepts: { scheme, network, price, payTo: accounts.merchant.address } },
    new Request('http://localhost/paid'),
  )
  const required: PaymentRequired = {
    x402Version: 2,
    resource: { url: 'http://localhost/paid' },
    accepts,
    ...(extensions === undefined ? {} : { extensions }),
  }
  return { resourceServer, required, requirements: accepts[0] as PaymentRequirements }
}

describe('Permit2 without an allowance', () => {
  test('the devnet started without Permit2 approvals', async () => {
    expect(devnet.evm.permit2Approval).toBe(false)
    expect(await permit2Allowance(devnet, account(0).address)).toBe(0n)
  })

  test('exact: a payer without an allowance is refused with permit2_allowance_required, moving nothing', async () => {
    const payer = account(0)
    const requirements = permit2Requirements(devnet)
    const payment = await signedPermit2Payment(payer, requirements)
    const before = await tokenBalance(devnet, payer.address)
    const verified = await exact.verify(payment, requirements)
    expect(verified).toMatchObject({
      isValid: false,
      invalidReason: 'permit2_allowance_required',
      payer: payer.address,
    })
    expect(verified.invalidMessage).toContain(PERMIT2_ADDRESS)
    expect(await exact.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: 'permit2_allowance_required',
      transaction: '',
    })
    expect(await tokenBalance(devnet, payer.address)).toBe(before)
  })

  test('upto: a payer without an allowance is refused with permit2_allowance_required, moving nothing', async () => {
    const payer = account(0)
    const requirements = permit2Requirements(devnet, {}, devnet.evm.accounts.facilitator.address)
    const payment = await signedPermit2Payment(payer, requirements)
    const before = await tokenBalance(devnet, payer.address)
    expect(await upto.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'permit2_allowance_required',
    })
    expect(await upto.settle(payment, { ...requirements, amount: '1' })).toMatchObject({
      success: false,
      errorReason: 'permit2_allowance_required',
      transaction: '',
    })
    expect(await tokenBalance(devnet, payer.address)).toBe(before)
  })

  test('exact: with eip2612GasSponsoring declared, the client signs a permit and the payment settles from zero allowance', async () => {
    const { network, token, rpcUrl, accounts } = devnet.evm
    const assets = { [network]: { ...token, assetTransferMethod: 'permit2' as const } }
    const { resourceServer, required, requirements } = await paymentRequired(
      exact,
      exactEvmServer({ assets }),
      'exact',
      '$0.02',
      declareEip2612GasSponsoring(),
    )
    const payer = account(1)
    const client = createPaymentClient({
      schemes: [exactEvmClient({ account: payer, assets, rpc: { [network]: rpcUrl } })],
    })
    const payment = await client.createPaymentPayload(required)
    const info = permitOf(payment) ?? {}
    expect(info).toMatchObject({
      from: payer.address,
      asset: token.address,
      spender: PERMIT2_ADDRESS,
      amount: '20000',
      nonce: '0',
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
      version: '1',
    })
    expect(info.deadline).toBe((payment.payload.permit2Authorization as { deadline: string }).deadline)
    const before = await Promise.all([
      tokenBalance(devnet, payer.address),
      tokenBalance(devnet, accounts.merchant.address),
    ])

    expect(await resourceServer.verify(payment, requirements)).toEqual({
      isValid: true,
      payer: payer.address,
    })
    expect(await resourceServer.settle(payment, requirements)).toMatchObject({
      success: true,
      status: 'confirmed',
    })
    expect(await tokenBalance(devnet, payer.address)).toBe((before[0] as bigint) - 20000n)
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe((before[1] as bigint) + 20000n)
    // The permit was for exactly the payment: nothing is left approved.
    expect(await permit2Allowance(devnet, payer.address)).toBe(0n)

    // A payment built from the same 402 again carries a fresh permit (the token's nonce 1), never the spent one.
    const again = await client.createPaymentPayload(required)
    expect(permitOf(again)?.nonce).toBe('1')
  })

  test('exact: without the declaration the client sends no permit, and the payment is refused with permit2_allowance_required', async () => {
    const { network, token, rpcUrl } = devnet.evm
    const assets = { [network]: { ...token, assetTransferMethod: 'permit2' as const } }
    const { resourceServer, required, requirements } = await paymentRequired(
      exact,
      exactEvmServer({ assets }),
      'exact',
      '$0.02',
    )
    const payer = account(2)
    const client = createPaymentClient({
      schemes: [exactEvmClient({ account: payer, assets, rpc: { [network]: rpcUrl } })],
    })
    const payment = await client.createPaymentPayload(required)
    expect(payment.extensions).toBeUndefined()
    expect(await resourceServer.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'permit2_allowance_required',
    })
  })

  test('upto: with eip2612GasSponsoring declared, the permit covers the maximum and the charge settles from zero allowance', async () => {
    const { network, token, rpcUrl, accounts } = devnet.evm
    const assets = { [network]: token }
    const { required, requirements } = await paymentRequired(
      upto,
      uptoEvmServer({ assets }),
      'upto',
      '$0.03',
      declareEip2612GasSponsoring(),
    )
    const payer = account(3)
    const client = createPaymentClient({
      schemes: [uptoEvmClient({ account: payer, assets, rpc: { [network]: rpcUrl } })],
    })
    const payment = await client.createPaymentPayload(required)
    expect(permitOf(payment)).toMatchObject({
      from: payer.address,
      amount: '30000',
    })
    const before = await Promise.all([
      tokenBalance(devnet, payer.address),
      tokenBalance(devnet, accounts.merchant.address),
    ])
    expect(await upto.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
    expect(await upto.settle(payment, { ...requirements, amount: '7000' })).toMatchObject({
      success: true,
      amount: '7000',
    })
    expect(await tokenBalance(devnet, payer.address)).toBe((before[0] as bigint) - 7000n)
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe((before[1] as bigint) + 7000n)
    // The permit approved the maximum; the unused part stays approved to Permit2 (the authorization is spent).
    expect(await permit2Allowance(devnet, payer.address)).toBe(23000n)
  })
})
