// The upto scheme on the devnet (Permit2 pre-approved for the payer and every `others` account): the
// payer authorizes a maximum, the facilitator charges what was used (≤ max, 0 without a transaction), and
// every rule of verify has its own reason, checked by verify and by settle.
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  isX402Error,
  type PaymentPayload,
  type PaymentRequirements,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { X402_EXACT_PERMIT2_PROXY_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from '../src/shared/permit2.js'
import { uptoEvmClient } from '../src/upto/client/upto-evm-client.js'
import { uptoEvmFacilitator } from '../src/upto/facilitator/upto-evm-facilitator.js'
import { uptoEvmServer } from '../src/upto/server/upto-evm-server.js'
import { recordingTransport } from './helpers.js'
import { otherEvmAccount, permit2Requirements, signedPermit2Payment } from './permit2-helpers.js'

let devnet: Devnet<'evm'>
let facilitator: ReturnType<typeof uptoEvmFacilitator>
let facilitatorAddress: `0x${string}`

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  facilitatorAddress = devnet.evm.accounts.facilitator.address
  facilitator = uptoEvmFacilitator({
    signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
    networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
  })
})
afterAll(async () => {
  await devnet?.stop()
})

const account = (index: number) => privateKeyToAccount(otherEvmAccount(devnet, index).privateKey)
const uptoRequirements = (overrides: Partial<PaymentRequirements> = {}) =>
  permit2Requirements(devnet, overrides, facilitatorAddress)
const balances = async (...owners: `0x${string}`[]): Promise<bigint[]> =>
  Promise.all(owners.map((owner) => tokenBalance(devnet, owner)))

describe('upto on the devnet', () => {
  test('/supported advertises the facilitator address the payer must name', () => {
    expect(facilitator.kinds()).toEqual([
      { x402Version: 2, scheme: 'upto', network: devnet.evm.network, extra: { facilitatorAddress } },
    ])
    expect(facilitator.signers()).toEqual({ 'eip155:*': [facilitatorAddress] })
  })

  test('the server offers a maximum naming the facilitator; the client authorizes it; settle charges what was used', async () => {
    const { network, token, accounts } = devnet.evm
    const assets = { [network]: token }
    const inProcess = createFacilitator({ schemes: [facilitator] })
    const server = createResourceServer({ facilitator: inProcess, schemes: [uptoEvmServer({ assets })] })
    const accepts = await server.buildRequirements(
      { accepts: { scheme: 'upto', network, price: '$0.05', payTo: accounts.merchant.address } },
      new Request('http://localhost/llm'),
    )
    const max = accepts[0] as PaymentRequirements
    expect(max).toMatchObject({
      scheme: 'upto',
      amount: '50000',
      asset: token.address,
      extra: { name: token.name, version: token.version, assetTransferMethod: 'permit2', facilitatorAddress },
    })
    const payer = account(0)
    const client = createPaymentClient({ schemes: [uptoEvmClient({ account: payer, assets })] })
    const payment = await client.createPaymentPayload({
      x402Version: 2,
      resource: { url: 'http://localhost/llm' },
      accepts,
    })
    expect(payment.payload).toMatchObject({
      permit2Authorization: {
        from: payer.address,
        spender: X402_UPTO_PERMIT2_PROXY_ADDRESS,
        permitted: { token: token.address, amount: '50000' },
        witness: { to: accounts.merchant.address, facilitator: facilitatorAddress },
      },
    })
    const [payerBefore = 0n, merchantBefore = 0n] = await balances(payer.address, accounts.merchant.address)

    expect(await server.verify(payment, max)).toEqual({ isValid: true, payer: payer.address })
    const charged = { ...max, amount: '12345' }
    const settled = await inProcess.settle(payment, charged)
    expect(settled).toMatchObject({
      success: true,
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      network,
      payer: payer.address,
      amount: '12345',
      status: 'confirmed',
    })
    const receipt = await createPublicClient({ transport: http(devnet.evm.rpcUrl) }).getTransactionReceipt({
      hash: settled.transaction as `0x${string}`,
    })
    expect(receipt.to?.toLowerCase()).toBe(X402_UPTO_PERMIT2_PROXY_ADDRESS.toLowerCase())
    expect(await balances(payer.address, accounts.merchant.address)).toEqual([
      payerBefore - 12345n,
      merchantBefore + 12345n,
    ])

    // The authorization is single-use: the rest of the maximum cannot be charged later.
    expect(await facilitator.verify(payment, max)).toMatchObject({
      isValid: false,
      invalidReason: 'permit2_invalid_nonce',
    })
    expect(await facilitator.settle(payment, { ...max, amount: '100' })).toMatchObject({
      success: false,
      errorReason: 'permit2_invalid_nonce',
      transaction: '',
    })
    expect(await balances(payer.address, accounts.merchant.address)).toEqual([
      payerBefore - 12345n,
      merchantBefore + 12345n,
    ])
  })

  test('verify of a valid payment from an EOA costs exactly one RPC request (the simulation of the full maximum)', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = uptoEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const requirements = uptoRequirements()
    const payment = await signedPermit2Payment(account(1), requirements)
    expect(await counted.verify(payment, requirements)).toEqual({ isValid: true, payer: account(1).address })
    expect(methods).toEqual(['eth_call'])
  })

  test('settles the full maximum', async () => {
    const payer = account(1)
    const requirements = uptoRequirements({ amount: '4242' })
    const payment = await signedPermit2Payment(payer, requirements)
    const [before] = await balances(payer.address)
    expect(await facilitator.settle(payment, requirements)).toMatchObject({ success: true, amount: '4242' })
    expect(await balances(payer.address)).toEqual([(before as bigint) - 4242n])
  })

  test('a charge of 0 succeeds with no transaction and moves nothing; the authorization stays unused', async () => {
    const payer = account(5)
    const requirements = uptoRequirements()
    const payment = await signedPermit2Payment(payer, requirements)
    const merchant = devnet.evm.accounts.merchant.address
    const before = await balances(payer.address, merchant)
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
    const settled = await facilitator.settle(payment, { ...requirements, amount: '0' })
    expect(settled).toEqual({
      success: true,
      transaction: '',
      network: devnet.evm.network,
      payer: payer.address,
      amount: '0',
      status: 'confirmed',
    })
    expect(await balances(payer.address, merchant)).toEqual(before)
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
  })

  test('a charge above the maximum is refused with invalid_upto_evm_payload_settlement_exceeds_amount, moving nothing', async () => {
    const payer = account(5)
    const requirements = uptoRequirements()
    const payment = await signedPermit2Payment(payer, requirements)
    const before = await balances(payer.address, devnet.evm.accounts.merchant.address)
    expect(await facilitator.settle(payment, { ...requirements, amount: '10001' })).toMatchObject({
      success: false,
      errorReason: 'invalid_upto_evm_payload_settlement_exceeds_amount',
      transaction: '',
      payer: payer.address,
      status: 'failed',
    })
    expect(await balances(payer.address, devnet.evm.accounts.merchant.address)).toEqual(before)
  })

  test('a facilitator with several keys settles from the key the payer named (the proxy accepts no other caller)', async () => {
    const second = otherEvmAccount(devnet, 15)
    const both = uptoEvmFacilitator({
      signer: [
        privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
        privateKeyToAccount(second.privateKey),
      ],
      networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
    })
    expect(both.kinds()[0]?.extra).toEqual({ facilitatorAddress })
    const requirements = permit2Requirements(devnet, {}, second.address)
    const payment = await signedPermit2Payment(account(6), requirements)
    expect(await both.verify(payment, requirements)).toEqual({ isValid: true, payer: account(6).address })
    const settled = await both.settle(payment, { ...requirements, amount: '5000' })
    expect(settled).toMatchObject({ success: true, amount: '5000' })
    const receipt = await createPublicClient({ transport: http(devnet.evm.rpcUrl) }).getTransactionReceipt({
      hash: settled.transaction as `0x${string}`,
    })
    expect(receipt.from.toLowerCase()).toBe(second.address.toLowerCase())
  })

  test('the client refuses upto requirements without extra.facilitatorAddress', async () => {
    const { facilitatorAddress: _dropped, ...extra } = uptoRequirements().extra ?? {}
    const error = await uptoEvmClient({ account: account(0) })
      .createPayload({ ...uptoRequirements(), extra }, { x402Version: 2, resource: { url: 'http://x/' } })
      .catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('extra.facilitatorAddress')
  })

  const now = () => Math.floor(Date.now() / 1000)
  type Case = () => Promise<[PaymentRequirements, PaymentPayload]>
  const refusals: [string, Case][] = [
    [
      'invalid_upto_evm_scheme',
      async () => {
        const requirements = uptoRequirements()
        return [
          { ...requirements, scheme: 'exact' },
          await signedPermit2Payment(account(2), requirements, { accepted: { scheme: 'exact' } }),
        ]
      },
    ],
    [
      'invalid_upto_evm_network_mismatch',
      async () => {
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(account(2), requirements, { accepted: { network: 'eip155:8453' } }),
        ]
      },
    ],
    [
      'invalid_payload',
      async () => {
        // An exact witness (no facilitator) is not an upto payload.
        const requirements = uptoRequirements()
        const { facilitatorAddress: _dropped, ...extra } = requirements.extra ?? {}
        const signed = { ...requirements, extra }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'invalid_upto_evm_asset_mismatch',
      async () => {
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(account(2), requirements, {
            accepted: { asset: devnet.evm.multicall3 },
          }),
        ]
      },
    ],
    [
      'invalid_permit2_spender',
      async () => {
        // An upto witness signed for the exact proxy as spender.
        const requirements = uptoRequirements()
        const payment = await signedPermit2Payment(account(2), requirements)
        const authorization = payment.payload.permit2Authorization as Record<string, unknown>
        return [
          requirements,
          {
            ...payment,
            payload: {
              ...payment.payload,
              permit2Authorization: { ...authorization, spender: X402_EXACT_PERMIT2_PROXY_ADDRESS },
            },
          },
        ]
      },
    ],
    [
      'invalid_permit2_recipient_mismatch',
      async () => {
        const requirements = uptoRequirements()
        const signed = { ...requirements, payTo: otherEvmAccount(devnet, 9).address }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'upto_facilitator_mismatch',
      async () => {
        // Names another facilitator: only that one could settle it, so this one must refuse it.
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(account(2), requirements, {
            facilitator: otherEvmAccount(devnet, 10).address,
          }),
        ]
      },
    ],
    [
      'permit2_deadline_expired',
      async () => {
        const requirements = uptoRequirements()
        return [requirements, await signedPermit2Payment(account(2), requirements, { now: now() - 1000 })]
      },
    ],
    [
      'permit2_not_yet_valid',
      async () => {
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(account(2), requirements, {
            now: now() + 120,
            validAfterSkewSeconds: 0,
          }),
        ]
      },
    ],
    [
      'permit2_token_mismatch',
      async () => {
        const requirements = uptoRequirements()
        const signed = { ...requirements, asset: devnet.evm.multicall3 }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'invalid_permit2_signature',
      async () => {
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(account(3), requirements, { from: account(2).address }),
        ]
      },
    ],
    [
      'permit2_insufficient_balance',
      async () => {
        const requirements = uptoRequirements()
        return [
          requirements,
          await signedPermit2Payment(privateKeyToAccount(generatePrivateKey()), requirements),
        ]
      },
    ],
  ]

  test('refuses permit2_amount_mismatch in verify: the maximum signed must be the maximum offered', async () => {
    // Only verify knows the offer: at settle, requirements.amount is the charge, bounded by what was signed.
    const requirements = uptoRequirements()
    for (const amount of ['9999', '10001']) {
      const payment = await signedPermit2Payment(account(2), requirements, {
        signed: { ...requirements, amount },
      })
      expect(await facilitator.verify(payment, requirements)).toMatchObject({
        isValid: false,
        invalidReason: 'permit2_amount_mismatch',
      })
    }
  })

  test.each(refusals)('refuses %s in verify and in settle, moving nothing', async (reason, make) => {
    const [requirements, payment] = await make()
    const watched = [account(2).address, devnet.evm.accounts.merchant.address]
    const before = await balances(...watched)
    const verified = await facilitator.verify(payment, requirements)
    expect(verified).toMatchObject({ isValid: false, invalidReason: reason })
    expect(verified.invalidMessage).toEqual(expect.any(String))
    const settled = await facilitator.settle(payment, { ...requirements, amount: '5000' })
    expect(settled).toMatchObject({ success: false, errorReason: reason, transaction: '', status: 'failed' })
    expect(await balances(...watched)).toEqual(before)
  })
})
