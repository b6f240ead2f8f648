import { type BroadcastIntent, createFacilitator } from '@open402/core'
import { type Devnet, deploySmartWallet, startDevnet, tokenBalance } from '@open402/devnet'
import { createPublicClient, http, keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactEvmFacilitator } from '../src/exact/facilitator/exact-evm-facilitator.js'
import { devnetRequirements, otherAccount, recordingTransport, signedPayment } from './helpers.js'

let devnet: Devnet
let facilitator: ReturnType<typeof exactEvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = exactEvmFacilitator({
    signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
    networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
  })
})
afterAll(async () => {
  await devnet?.stop()
})

const account = (index: number) => privateKeyToAccount(otherAccount(devnet, index).privateKey)
const publicClient = () => createPublicClient({ transport: http(devnet.evm.rpcUrl) })

describe('exactEvmFacilitator.settle on the devnet', () => {
  test('settles a verified payment once, moving exactly the amount, and refuses the replay', async () => {
    const payer = privateKeyToAccount(devnet.evm.accounts.payer.privateKey)
    const { merchant } = devnet.evm.accounts
    const requirements = devnetRequirements(devnet, { amount: '12345' })
    const payment = await signedPayment(payer, requirements)
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address })
    const before = {
      payer: await tokenBalance(devnet, payer.address),
      merchant: await tokenBalance(devnet, merchant.address),
    }

    const settled = await facilitator.settle(payment, requirements)

    expect(settled).toEqual({
      success: true,
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      network: devnet.evm.network,
      payer: payer.address,
      status: 'confirmed',
    })
    const receipt = await publicClient().getTransactionReceipt({ hash: settled.transaction as `0x${string}` })
    expect(receipt.status).toBe('success')
    expect(receipt.from.toLowerCase()).toBe(devnet.evm.accounts.facilitator.address.toLowerCase())
    expect(await tokenBalance(devnet, payer.address)).toBe(before.payer - 12345n)
    expect(await tokenBalance(devnet, merchant.address)).toBe(before.merchant + 12345n)

    const replayVerify = await facilitator.verify(payment, requirements)
    expect(replayVerify).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_evm_nonce_already_used',
      payer: payer.address,
    })

    const replaySettle = await exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
      simulateInSettle: true,
    }).settle(payment, requirements)
    expect(replaySettle).toMatchObject({
      success: false,
      errorReason: 'invalid_exact_evm_nonce_already_used',
      transaction: '',
      status: 'failed',
    })
    expect(await tokenBalance(devnet, merchant.address)).toBe(before.merchant + 12345n)
  })

  test('a settle nobody verified is simulated first: a replay is refused before any gas is paid', async () => {
    const payer = account(3)
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(payer, requirements)
    expect((await facilitator.settle(payment, requirements)).success).toBe(true)
    const balance = await tokenBalance(devnet, payer.address)
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })

    const replay = await counted.settle(payment, requirements)

    expect(replay).toMatchObject({
      success: false,
      errorReason: 'invalid_exact_evm_nonce_already_used',
      transaction: '',
      status: 'failed',
    })
    expect(methods).not.toContain('eth_sendRawTransaction')
    expect(await tokenBalance(devnet, payer.address)).toBe(balance)
  })

  test('with simulateInSettle: false, a replay reaches the chain and is reported failed with its hash', async () => {
    const payer = account(8)
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(payer, requirements)
    expect((await facilitator.settle(payment, requirements)).success).toBe(true)
    const balance = await tokenBalance(devnet, payer.address)
    const unsimulated = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
      simulateInSettle: false,
    })

    const replay = await unsimulated.settle(payment, requirements)

    expect(replay).toMatchObject({
      success: false,
      errorReason: 'invalid_exact_evm_transaction_failed',
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      payer: payer.address,
      status: 'failed',
    })
    expect(replay.errorMessage).toMatch(/reverted in block \d+/)
    expect(await tokenBalance(devnet, payer.address)).toBe(balance)
  })

  test('verify then settle through createFacilitator simulates once: settle adds no eth_call', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = createFacilitator({
      schemes: [
        exactEvmFacilitator({
          signer: privateKeyToAccount(otherAccount(devnet, 9).privateKey),
          networks: { [devnet.evm.network]: { transport } },
        }),
      ],
    })
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(account(10), requirements)
    expect((await counted.verify(payment, requirements)).isValid).toBe(true)
    const calls = methods.filter((method) => method === 'eth_call').length
    expect(calls).toBe(1)

    expect((await counted.settle(payment, requirements)).success).toBe(true)
    expect(methods.filter((method) => method === 'eth_call').length).toBe(calls)
  })

  test('settles a payment from a deployed EIP-1271 smart wallet', async () => {
    const owner = account(4)
    const wallet = await deploySmartWallet(devnet, owner.address)
    const requirements = devnetRequirements(devnet, { amount: '777' })
    const payment = await signedPayment(owner, requirements, { from: wallet })
    const before = await tokenBalance(devnet, wallet)

    const settled = await facilitator.settle(payment, requirements)

    expect(settled).toMatchObject({ success: true, payer: wallet, status: 'confirmed' })
    expect(await tokenBalance(devnet, wallet)).toBe(before - 777n)
  })

  test('refuses to settle a payment that fails a local rule, sending nothing', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(account(5), requirements, {
      signed: { ...requirements, amount: '1' },
    })

    const result = await counted.settle(payment, requirements)

    expect(result).toMatchObject({
      success: false,
      errorReason: 'invalid_exact_evm_payload_authorization_value_mismatch',
      transaction: '',
      status: 'failed',
    })
    expect(methods).toEqual([])
  })

  test('reports a transaction without a receipt in time as pending, with its hash', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl, { withholdReceipts: true })
    const slow = exactEvmFacilitator({
      signer: privateKeyToAccount(otherAccount(devnet, 6).privateKey),
      networks: { [devnet.evm.network]: { transport } },
      receiptTimeoutMs: 400,
      receiptPollIntervalMs: 100,
    })
    const payer = account(7)
    const requirements = devnetRequirements(devnet)
    const before = await tokenBalance(devnet, payer.address)

    const started = Date.now()
    const result = await slow.settle(await signedPayment(payer, requirements), requirements)

    expect(Date.now() - started).toBeGreaterThanOrEqual(390)
    expect(result).toMatchObject({
      success: false,
      errorReason: 'settlement_pending',
      status: 'pending',
      network: devnet.evm.network,
      payer: payer.address,
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    })
    expect(methods.filter((method) => method === 'eth_sendRawTransaction')).toHaveLength(1)
    // The devnet mined it anyway: the hash we reported is the real transaction.
    const receipt = await publicClient().getTransactionReceipt({ hash: result.transaction as `0x${string}` })
    expect(receipt.status).toBe('success')
    expect(await tokenBalance(devnet, payer.address)).toBe(before - 10000n)
  })

  test('confirms 20 concurrent settlements from one key with distinct account nonces', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const key = otherAccount(devnet, 8)
    const busy = exactEvmFacilitator({
      signer: privateKeyToAccount(key.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const payer = privateKeyToAccount(devnet.evm.accounts.payer.privateKey)
    const requirements = devnetRequirements(devnet, { amount: '1000' })
    const payments = await Promise.all(Array.from({ length: 20 }, () => signedPayment(payer, requirements)))
    const merchantBefore = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
    const startNonce = await publicClient().getTransactionCount({ address: key.address })

    const results = await Promise.all(payments.map((payment) => busy.settle(payment, requirements)))

    expect(results.map((result) => result.status)).toEqual(Array(20).fill('confirmed'))
    const transactions = await Promise.all(
      results.map((result) => publicClient().getTransaction({ hash: result.transaction as `0x${string}` })),
    )
    const nonces = transactions.map((tx) => tx.nonce).sort((a, b) => a - b)
    expect(nonces).toEqual(Array.from({ length: 20 }, (_, i) => startNonce + i))
    expect(await tokenBalance(devnet, devnet.evm.accounts.merchant.address)).toBe(merchantBefore + 20_000n)
    // One nonce lookup and one fee lookup for all twenty settlements.
    expect(methods.filter((method) => method === 'eth_getTransactionCount')).toHaveLength(1)
    expect(methods.filter((method) => method === 'eth_getBlockByNumber')).toHaveLength(1)
    expect(methods.filter((method) => method === 'eth_sendRawTransaction')).toHaveLength(20)
  })

  test('records the signed transaction before broadcasting it and sends nothing when the record is refused', async () => {
    const payer = account(4)
    const requirements = devnetRequirements(devnet, { amount: '777' })
    const payment = await signedPayment(payer, requirements)
    const merchant = devnet.evm.accounts.merchant.address
    const before = await tokenBalance(devnet, merchant)
    const refusedIntents: BroadcastIntent[] = []

    const refused = await facilitator.settle(payment, requirements, {
      beforeBroadcast: async (intent) => {
        refusedIntents.push(intent)
        return false
      },
    })

    expect(refused).toMatchObject({ success: false, errorReason: 'duplicate_settlement', transaction: '' })
    expect(refusedIntents).toHaveLength(1)
    await expect(
      publicClient().getTransaction({ hash: refusedIntents[0]?.transaction as `0x${string}` }),
    ).rejects.toThrow()
    expect(await tokenBalance(devnet, merchant)).toBe(before)

    const intents: BroadcastIntent[] = []
    const settled = await facilitator.settle(payment, requirements, {
      beforeBroadcast: async (intent) => {
        intents.push(intent)
        return true
      },
    })
    expect(settled).toMatchObject({ success: true, transaction: intents[0]?.transaction })
    expect(keccak256(intents[0]?.raw as `0x${string}`)).toBe(settled.transaction)
    expect(intents[0]?.signer).toBe(devnet.evm.accounts.facilitator.address)
    expect(await tokenBalance(devnet, merchant)).toBe(before + 777n)

    const network = devnet.evm.network
    expect(await facilitator.reconcile?.({ network, transaction: settled.transaction })).toEqual({
      state: 'confirmed',
      response: { success: true, transaction: settled.transaction, network, status: 'confirmed' },
    })
    expect(await facilitator.reconcile?.({ network, transaction: `0x${'ab'.repeat(32)}` })).toEqual({
      state: 'unknown',
    })
  })
})

describe('exactEvmFacilitator with several keys', () => {
  test('sends settlements from each key in turn', async () => {
    const keys = [otherAccount(devnet, 9), otherAccount(devnet, 10)]
    const pool = exactEvmFacilitator({
      signer: keys.map((key) => privateKeyToAccount(key.privateKey)),
      networks: { [devnet.evm.network]: devnet.evm.rpcUrl },
    })
    const payer = account(11)
    const requirements = devnetRequirements(devnet, { amount: '5' })
    const results = await Promise.all(
      [1, 2, 3, 4].map(async () => pool.settle(await signedPayment(payer, requirements), requirements)),
    )
    expect(results.map((result) => result.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
    ])
    const senders = await Promise.all(
      results.map(
        async (result) =>
          (await publicClient().getTransaction({ hash: result.transaction as `0x${string}` })).from,
      ),
    )
    expect(senders.map((from) => from.toLowerCase()).sort()).toEqual(
      [keys[0], keys[1], keys[0], keys[1]].map((key) => key?.address.toLowerCase()).sort(),
    )
  })
})
