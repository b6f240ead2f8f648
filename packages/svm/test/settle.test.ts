import { createFacilitator, type PaymentPayload } from '@open402/core'
import { type Devnet, mintSvmTokens, startDevnet, svmTokenBalance } from '@open402/devnet'
import { createSolanaRpc, generateKeyPairSigner, type Signature } from '@solana/kit'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactSvmFacilitator } from '../src/exact/facilitator/exact-svm-facilitator.js'
import {
  buildPayment,
  type DevnetMint,
  devnetParties,
  recordingRpc,
  requirementsFor,
  signerOf,
} from './helpers.js'

let devnet: Devnet<'svm'>
let facilitator: ReturnType<typeof exactSvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['svm'] })
  facilitator = await newFacilitator()
})
afterAll(async () => {
  await devnet?.stop()
})

async function newFacilitator(options: Partial<Parameters<typeof exactSvmFacilitator>[0]> = {}) {
  return exactSvmFacilitator({
    signers: [await signerOf(devnet.svm.accounts.facilitator)],
    networks: { [devnet.svm.network]: devnet.svm.rpcUrl },
    pollIntervalMs: 100,
    ...options,
  })
}

const mintOf = (mint: DevnetMint) => (mint === 'spl' ? devnet.svm.mint.address : devnet.svm.mint2022.address)
const merchantBalance = (mint: DevnetMint = 'spl') =>
  svmTokenBalance(devnet, devnet.svm.accounts.merchant.address, mintOf(mint))

describe('exactSvmFacilitator.settle on the devnet', () => {
  test.each(['spl', 'token2022'] as const)(
    'settles a %s payment once, moving exactly the amount, with the facilitator paying the fee',
    async (mint) => {
      const parties = await devnetParties(devnet, { mint, amount: 12_345n })
      const requirements = requirementsFor(parties)
      const payment = await buildPayment(parties)
      const before = {
        payer: await svmTokenBalance(devnet, parties.owner.address, mintOf(mint)),
        merchant: await merchantBalance(mint),
      }

      const settled = await facilitator.settle(payment, requirements)

      expect(settled).toEqual({
        success: true,
        status: 'confirmed',
        transaction: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/),
        network: devnet.svm.network,
        payer: parties.owner.address,
      })
      const landed = await createSolanaRpc(devnet.svm.rpcUrl)
        .getTransaction(settled.transaction as Signature, {
          encoding: 'json',
          maxSupportedTransactionVersion: 0,
        })
        .send()
      expect(landed?.meta?.err).toBeNull()
      expect(landed?.transaction.message.accountKeys[0]).toBe(devnet.svm.accounts.facilitator.address)
      expect(await svmTokenBalance(devnet, parties.owner.address, mintOf(mint))).toBe(before.payer - 12_345n)
      expect(await merchantBalance(mint)).toBe(before.merchant + 12_345n)
    },
  )

  test('settles one payment submitted 5 times concurrently through createFacilitator exactly once', async () => {
    const core = createFacilitator({ schemes: [await newFacilitator()] })
    const parties = await devnetParties(devnet)
    const requirements = requirementsFor(parties)
    const payment = await buildPayment(parties)
    const before = await merchantBalance()

    const results = await Promise.all(Array.from({ length: 5 }, () => core.settle(payment, requirements)))

    const successes = results.filter((result) => result.success)
    expect(successes).toHaveLength(1)
    expect(results.filter((result) => result.errorReason === 'duplicate_settlement')).toHaveLength(4)
    expect(await merchantBalance()).toBe(before + 10_000n)
  })

  test('settles one transaction submitted 5 times concurrently to the scheme directly exactly once', async () => {
    const parties = await devnetParties(devnet)
    const payment = await buildPayment(parties)
    const before = await merchantBalance()

    const results = await Promise.all(
      Array.from({ length: 5 }, () => facilitator.settle(payment, requirementsFor(parties))),
    )

    expect(results.filter((result) => result.success)).toHaveLength(1)
    expect(results.filter((result) => result.errorReason === 'duplicate_settlement')).toHaveLength(4)
    expect(await merchantBalance()).toBe(before + 10_000n)
  })

  test('refuses the same transaction wrapped in a different payload after it settled', async () => {
    const core = createFacilitator({ schemes: [facilitator] })
    const parties = await devnetParties(devnet)
    const requirements = requirementsFor(parties)
    const payment = await buildPayment(parties)
    expect((await core.settle(payment, requirements)).success).toBe(true)
    const rewrapped: PaymentPayload = { ...payment, resource: { url: 'https://example.com/other' } }

    expect(await core.settle(rewrapped, requirements)).toMatchObject({
      success: false,
      errorReason: 'duplicate_settlement',
      transaction: '',
    })
  })

  test('refuses a transaction that already landed even from a facilitator that never saw it', async () => {
    const parties = await devnetParties(devnet)
    const payment = await buildPayment(parties)
    expect((await facilitator.settle(payment, requirementsFor(parties))).success).toBe(true)
    const before = await merchantBalance()

    const fresh = await newFacilitator()
    expect(await fresh.settle(payment, requirementsFor(parties))).toMatchObject({
      success: false,
      errorReason: 'duplicate_settlement',
      payer: parties.owner.address,
    })
    expect(await merchantBalance()).toBe(before)
  })

  test('refuses a payment that fails preflight, sending nothing, and settles it once funded', async () => {
    const owner = await generateKeyPairSigner()
    await mintSvmTokens(devnet, owner.address, 1n)
    const parties = await devnetParties(devnet, { owner, amount: 500n })
    const payment = await buildPayment(parties)

    const refused = await facilitator.settle(payment, requirementsFor(parties))
    expect(refused).toMatchObject({
      success: false,
      errorReason: 'transaction_simulation_failed',
      transaction: '',
      status: 'failed',
      payer: owner.address,
    })
    expect(refused.errorMessage).toMatch(/insufficient funds/i)

    await mintSvmTokens(devnet, owner.address, 499n)
    expect(await facilitator.settle(payment, requirementsFor(parties))).toMatchObject({
      success: true,
      status: 'confirmed',
    })
    expect(await svmTokenBalance(devnet, owner.address)).toBe(0n)
  })

  test('answers settlement_pending with the signature when confirmation does not come in time', async () => {
    const { rpc, methods } = recordingRpc(devnet.svm.rpcUrl, { withholdStatuses: true })
    const slow = await newFacilitator({ networks: { [devnet.svm.network]: { rpc } }, confirmTimeoutMs: 300 })
    const parties = await devnetParties(devnet)
    const before = await merchantBalance()

    const result = await slow.settle(await buildPayment(parties), requirementsFor(parties))

    expect(result).toMatchObject({
      success: false,
      status: 'pending',
      errorReason: 'settlement_pending',
      transaction: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/),
      payer: parties.owner.address,
      network: devnet.svm.network,
    })
    expect(methods.slice(0, 2)).toEqual(['getSignatureStatuses', 'sendTransaction'])
    expect(await merchantBalance()).toBe(before + 10_000n)
  })

  test('reports a transaction that fails on chain as transaction_failed with its signature', async () => {
    // Two payments that each spend the owner's whole balance both pass simulation; sends are held until
    // both simulated, so the second lands after the first and fails on chain.
    const owner = await generateKeyPairSigner()
    await mintSvmTokens(devnet, owner.address, 10_000n)
    const { rpc, methods, release } = recordingRpc(devnet.svm.rpcUrl, { holdSends: true })
    const racing = await newFacilitator({
      networks: { [devnet.svm.network]: { rpc } },
      simulateInSettle: true,
    })
    const parties = await devnetParties(devnet, { owner })
    const [first, second] = [await buildPayment(parties), await buildPayment(parties)] as [
      PaymentPayload,
      PaymentPayload,
    ]
    const settling = [racing.settle(first, requirementsFor(parties))]
    while (methods.filter((method) => method === 'simulateTransaction').length < 1) await tick()
    settling.push(racing.settle(second, requirementsFor(parties)))
    while (methods.filter((method) => method === 'simulateTransaction').length < 2) await tick()
    release()

    const results = await Promise.all(settling)

    const failed = results.find((result) => !result.success)
    expect(results.filter((result) => result.success)).toHaveLength(1)
    expect(failed).toMatchObject({
      errorReason: 'transaction_failed',
      status: 'failed',
      transaction: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/),
      payer: owner.address,
    })
    expect(failed?.errorMessage).toMatch(/failed on chain/)
    expect(await svmTokenBalance(devnet, owner.address)).toBe(0n)
  })

  test('records the signature before sending it and sends nothing when the record is refused', async () => {
    const parties = await devnetParties(devnet)
    const payment = await buildPayment(parties)
    const before = await merchantBalance()
    const refusedIntents: { transaction: string; raw?: string }[] = []

    const refused = await facilitator.settle(payment, requirementsFor(parties), {
      beforeBroadcast: async (intent) => {
        refusedIntents.push(intent)
        return false
      },
    })

    expect(refused).toMatchObject({ success: false, errorReason: 'duplicate_settlement', transaction: '' })
    expect(await merchantBalance()).toBe(before)
    const intents: { transaction: string; raw?: string }[] = []
    const settled = await facilitator.settle(payment, requirementsFor(parties), {
      beforeBroadcast: async (intent) => {
        intents.push(intent)
        return true
      },
    })
    expect(settled).toMatchObject({ success: true, transaction: intents[0]?.transaction })
    expect(intents[0]).toEqual(refusedIntents[0])
    expect(intents[0]?.raw).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(await merchantBalance()).toBe(before + 10_000n)
  })

  test('reconciles a landed signature as confirmed and an unknown one as unknown', async () => {
    const parties = await devnetParties(devnet)
    const settled = await facilitator.settle(await buildPayment(parties), requirementsFor(parties))
    const network = devnet.svm.network

    expect(await facilitator.reconcile?.({ network, transaction: settled.transaction })).toEqual({
      state: 'confirmed',
      response: { success: true, transaction: settled.transaction, network, status: 'confirmed' },
    })
    const unsent = '1'.repeat(64)
    expect(await facilitator.reconcile?.({ network, transaction: unsent })).toEqual({ state: 'unknown' })
  })

  test('lists the devnet in /supported with the fee payer', async () => {
    const core = createFacilitator({ schemes: [facilitator] })
    expect(await core.supported()).toEqual({
      kinds: [
        {
          x402Version: 2,
          scheme: 'exact',
          network: devnet.svm.network,
          extra: { feePayer: devnet.svm.accounts.facilitator.address },
        },
      ],
      extensions: [],
      signers: { 'solana:*': [devnet.svm.accounts.facilitator.address] },
    })
  })
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 10))
