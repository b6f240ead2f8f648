// The exact scheme with `assetTransferMethod: "permit2"` on the devnet (Permit2 pre-approved for the payer
// and every `others` account): happy path with exact balances, one RPC request per verify, and one test per
// refusal reason, each checked by verify and by settle (which then sends nothing).
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  type PaymentRequirements,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactEvmClient } from '../src/exact/client/exact-evm-client.js'
import { exactEvmFacilitator } from '../src/exact/facilitator/exact-evm-facilitator.js'
import { exactEvmServer } from '../src/exact/server/exact-evm-server.js'
import { X402_EXACT_PERMIT2_PROXY_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from '../src/shared/permit2.js'
import { recordingTransport } from './helpers.js'
import {
  eip2612Extension,
  otherEvmAccount,
  permit2Requirements,
  signedPermit2Payment,
} from './permit2-helpers.js'

let devnet: Devnet<'evm'>
let facilitator: ReturnType<typeof exactEvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  facilitator = exactEvmFacilitator({
    signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
    networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
  })
})
afterAll(async () => {
  await devnet?.stop()
})

const account = (index: number) => privateKeyToAccount(otherEvmAccount(devnet, index).privateKey)

describe('exact with Permit2 on the devnet', () => {
  test('the server emits assetTransferMethod for an asset configured with permit2, and the client pays through the proxy', async () => {
    const { network, token, accounts } = devnet.evm
    const assets = { [network]: { ...token, assetTransferMethod: 'permit2' as const } }
    const inProcess = createFacilitator({ schemes: [facilitator] })
    const server = createResourceServer({ facilitator: inProcess, schemes: [exactEvmServer({ assets })] })
    const accepts = await server.buildRequirements(
      { accepts: { scheme: 'exact', network, price: '$0.0125', payTo: accounts.merchant.address } },
      new Request('http://localhost/report'),
    )
    const requirements = accepts[0] as PaymentRequirements
    expect(requirements).toMatchObject({
      amount: '12500',
      asset: token.address,
      extra: { name: token.name, version: token.version, assetTransferMethod: 'permit2' },
    })
    const payer = account(0)
    const client = createPaymentClient({ schemes: [exactEvmClient({ account: payer, assets })] })
    const payment = await client.createPaymentPayload({
      x402Version: 2,
      resource: { url: 'http://localhost/report' },
      accepts,
    })
    expect(payment.payload).toMatchObject({
      permit2Authorization: {
        from: payer.address,
        spender: X402_EXACT_PERMIT2_PROXY_ADDRESS,
        permitted: { token: token.address, amount: '12500' },
        witness: { to: accounts.merchant.address },
      },
    })
    expect(payment.extensions).toBeUndefined()

    const before = {
      payer: await tokenBalance(devnet, payer.address),
      merchant: await tokenBalance(devnet, accounts.merchant.address),
    }
    expect(await server.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
    const settled = await server.settle(payment, requirements)
    expect(settled).toMatchObject({
      success: true,
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      network,
      payer: payer.address,
      status: 'confirmed',
    })
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const receipt = await chain.getTransactionReceipt({ hash: settled.transaction as `0x${string}` })
    expect(receipt.to?.toLowerCase()).toBe(X402_EXACT_PERMIT2_PROXY_ADDRESS.toLowerCase())
    expect(receipt.from.toLowerCase()).toBe(accounts.facilitator.address.toLowerCase())
    expect(await tokenBalance(devnet, payer.address)).toBe(before.payer - 12500n)
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before.merchant + 12500n)

    // The spent nonce: refused by verify, and by a settle that simulates first (no gas paid).
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'permit2_invalid_nonce',
      payer: payer.address,
    })
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: 'permit2_invalid_nonce',
      transaction: '',
    })
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before.merchant + 12500n)
  })

  test('verify of a valid payment from an EOA costs exactly one RPC request (the simulation)', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const requirements = permit2Requirements(devnet)
    const payment = await signedPermit2Payment(account(1), requirements)
    expect(await counted.verify(payment, requirements)).toEqual({ isValid: true, payer: account(1).address })
    expect(methods).toEqual(['eth_call'])
  })

  const now = () => Math.floor(Date.now() / 1000)
  const refusals: [
    string,
    () => Promise<[ReturnType<typeof permit2Requirements>, Awaited<ReturnType<typeof signedPermit2Payment>>]>,
  ][] = [
    [
      'invalid_exact_evm_scheme',
      async () => {
        const requirements = permit2Requirements(devnet)
        return [
          { ...requirements, scheme: 'upto' },
          await signedPermit2Payment(account(2), requirements, { accepted: { scheme: 'upto' } }),
        ]
      },
    ],
    [
      'invalid_exact_evm_network_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        return [
          requirements,
          await signedPermit2Payment(account(2), requirements, { accepted: { network: 'eip155:8453' } }),
        ]
      },
    ],
    [
      'invalid_payload',
      async () => {
        const requirements = permit2Requirements(devnet)
        const payment = await signedPermit2Payment(account(2), requirements)
        const { witness: _dropped, ...rest } = payment.payload.permit2Authorization as Record<string, unknown>
        return [requirements, { ...payment, payload: { ...payment.payload, permit2Authorization: rest } }]
      },
    ],
    [
      'invalid_exact_evm_asset_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
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
        // Signed for the upto proxy (with an upto witness), presented as an exact payment.
        const requirements = permit2Requirements(devnet)
        const payment = await signedPermit2Payment(account(2), requirements, {
          facilitator: devnet.evm.accounts.facilitator.address,
        })
        expect((payment.payload.permit2Authorization as { spender: string }).spender).toBe(
          X402_UPTO_PERMIT2_PROXY_ADDRESS,
        )
        return [requirements, payment]
      },
    ],
    [
      'invalid_permit2_recipient_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const signed = { ...requirements, payTo: otherEvmAccount(devnet, 9).address }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'permit2_deadline_expired',
      async () => {
        const requirements = permit2Requirements(devnet)
        return [requirements, await signedPermit2Payment(account(2), requirements, { now: now() - 1000 })]
      },
    ],
    [
      'permit2_not_yet_valid',
      async () => {
        const requirements = permit2Requirements(devnet)
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
      'permit2_amount_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const signed = { ...requirements, amount: '9999' }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'permit2_token_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const signed = { ...requirements, asset: devnet.evm.multicall3 }
        return [requirements, await signedPermit2Payment(account(2), requirements, { signed })]
      },
    ],
    [
      'invalid_permit2_signature',
      async () => {
        // Signed by another key, claiming to come from the payer.
        const requirements = permit2Requirements(devnet)
        return [
          requirements,
          await signedPermit2Payment(account(3), requirements, { from: account(2).address }),
        ]
      },
    ],
    [
      'permit2_insufficient_balance',
      async () => {
        const requirements = permit2Requirements(devnet)
        return [
          requirements,
          await signedPermit2Payment(privateKeyToAccount(generatePrivateKey()), requirements),
        ]
      },
    ],
    [
      'invalid_eip2612_extension_format',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(2), 10000n, { signature: '0x1234' })
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
    [
      'eip2612_from_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(3), 10000n)
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
    [
      'eip2612_asset_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(2), 10000n, {
          asset: devnet.evm.multicall3,
        })
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
    [
      'eip2612_spender_not_permit2',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(2), 10000n, {
          spender: X402_EXACT_PERMIT2_PROXY_ADDRESS,
        })
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
    [
      'eip2612_deadline_expired',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(2), 10000n, {
          deadline: String(now() - 10),
        })
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
    [
      'permit2_2612_amount_mismatch',
      async () => {
        const requirements = permit2Requirements(devnet)
        const extensions = await eip2612Extension(devnet, account(2), 2n ** 256n - 1n)
        return [requirements, await signedPermit2Payment(account(2), requirements, { extensions })]
      },
    ],
  ]

  test.each(refusals)('refuses %s in verify and in settle, moving nothing', async (reason, make) => {
    const [requirements, payment] = await make()
    const payer = account(2).address
    const before = await tokenBalance(devnet, payer)
    const merchantBefore = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
    const verified = await facilitator.verify(payment, requirements)
    expect(verified).toMatchObject({ isValid: false, invalidReason: reason })
    expect(verified.invalidMessage).toEqual(expect.any(String))
    const settled = await facilitator.settle(payment, requirements)
    expect(settled).toMatchObject({ success: false, errorReason: reason, transaction: '', status: 'failed' })
    expect(await tokenBalance(devnet, payer)).toBe(before)
    expect(await tokenBalance(devnet, devnet.evm.accounts.merchant.address)).toBe(merchantBefore)
  })

  test('an EIP-2612 permit in the payment is submitted with the settlement (settleWithPermit) even when Permit2 is already approved', async () => {
    const payer = account(4)
    const requirements = permit2Requirements(devnet, { amount: '777' })
    const extensions = await eip2612Extension(devnet, payer, 777n)
    const payment = await signedPermit2Payment(payer, requirements, { extensions })
    const before = await tokenBalance(devnet, payer.address)
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: true,
      status: 'confirmed',
    })
    expect(await tokenBalance(devnet, payer.address)).toBe(before - 777n)
  })
})
