import {
  isSolanaError,
  type Rpc,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED,
  type SolanaRpcApi,
} from '@solana/kit'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rawRpc, signTransfer, waitForStatus } from '../test/svm-transfers.js'
import type { Devnet } from './devnet-description.js'
import { startDevnet } from './start-devnet.js'
import { createSvmRpc } from './svm-rpc.js'
import { svmTokenBalance } from './svm-token-balance.js'

describe('Solana transactions over JSON-RPC', () => {
  let devnet: Devnet<'svm'>
  let rpc: Rpc<SolanaRpcApi>

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'] })
    rpc = createSvmRpc(devnet)
  })
  afterAll(() => devnet?.stop())

  test('a TransferChecked from payer to merchant simulates, lands, is confirmed and moves the balances', async () => {
    const { payer, merchant } = devnet.svm.accounts
    const [payerBefore, merchantBefore] = await Promise.all([
      svmTokenBalance(devnet, payer.address),
      svmTokenBalance(devnet, merchant.address),
    ])
    const transfer = await signTransfer(rpc, {
      from: payer,
      to: merchant.address,
      amount: 1_250_000n,
      mint: devnet.svm.mint,
    })

    const simulation = await rpc
      .simulateTransaction(transfer.wire, { encoding: 'base64', sigVerify: true, innerInstructions: true })
      .send()
    expect(simulation.value.err).toBeNull()
    expect(simulation.value.logs).toContain('Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA success')
    expect(simulation.value.unitsConsumed).toBeGreaterThan(0n)
    expect(simulation.value.innerInstructions).toEqual([])
    // A simulation changes nothing.
    expect(await svmTokenBalance(devnet, merchant.address)).toBe(merchantBefore)

    const signature = await rpc.sendTransaction(transfer.wire, { encoding: 'base64' }).send()
    expect(signature).toBe(transfer.signature)
    const status = await waitForStatus(rpc, signature)
    expect(status).toMatchObject({
      err: null,
      confirmationStatus: 'finalized',
      confirmations: null,
      status: { Ok: null },
    })
    expect(status?.slot).toBeGreaterThanOrEqual(0n)
    expect(await svmTokenBalance(devnet, payer.address)).toBe(payerBefore - 1_250_000n)
    expect(await svmTokenBalance(devnet, merchant.address)).toBe(merchantBefore + 1_250_000n)
  })

  test('a replay of a landed transaction is refused and moves nothing', async () => {
    const { merchant } = devnet.svm.accounts
    const from = devnet.svm.accounts.others[0]
    if (from === undefined) throw new Error('no others account')
    const transfer = await signTransfer(rpc, {
      from,
      to: merchant.address,
      amount: 1_000n,
      mint: devnet.svm.mint,
    })
    await rpc.sendTransaction(transfer.wire, { encoding: 'base64' }).send()
    const balance = await svmTokenBalance(devnet, merchant.address)

    const replay = rpc.sendTransaction(transfer.wire, { encoding: 'base64' }).send()
    await expect(replay).rejects.toSatisfy(
      (error) =>
        isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) &&
        isSolanaError(error.cause, SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED),
    )
    const raw = await rawRpc(devnet.svm.rpcUrl, {
      jsonrpc: '2.0',
      id: 7,
      method: 'sendTransaction',
      params: [transfer.wire, { encoding: 'base64' }],
    })
    expect(raw).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32002,
        message: 'Transaction simulation failed: This transaction has already been processed',
        data: { err: 'AlreadyProcessed', accounts: null },
      },
    })
    // With preflight skipped, a cluster drops the duplicate: the signature comes back, nothing moves.
    expect(await rpc.sendTransaction(transfer.wire, { encoding: 'base64', skipPreflight: true }).send()).toBe(
      transfer.signature,
    )
    expect((await rpc.simulateTransaction(transfer.wire, { encoding: 'base64' }).send()).value.err).toBe(
      'AlreadyProcessed',
    )
    expect(await svmTokenBalance(devnet, merchant.address)).toBe(balance)
  })

  test('a transaction with an unknown blockhash is refused with BlockhashNotFound', async () => {
    const { payer, merchant } = devnet.svm.accounts
    const transfer = await signTransfer(rpc, {
      from: payer,
      to: merchant.address,
      amount: 1n,
      mint: devnet.svm.mint,
      blockhash: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG',
    })
    const simulation = await rpc.simulateTransaction(transfer.wire, { encoding: 'base64' }).send()
    expect(simulation.value).toMatchObject({ err: 'BlockhashNotFound', logs: [], unitsConsumed: 0n })
    const raw = await rawRpc(devnet.svm.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: [transfer.wire, { encoding: 'base64' }],
    })
    expect(raw).toMatchObject({
      error: {
        code: -32002,
        message: 'Transaction simulation failed: Blockhash not found',
        data: { err: 'BlockhashNotFound' },
      },
    })
    const skipped = await rpc
      .sendTransaction(transfer.wire, { encoding: 'base64', skipPreflight: true })
      .send()
    expect(skipped).toBe(transfer.signature)
    expect((await rpc.getSignatureStatuses([skipped]).send()).value).toEqual([null])
    // replaceRecentBlockhash simulates it anyway and says which blockhash it used.
    const replaced = await rpc
      .simulateTransaction(transfer.wire, { encoding: 'base64', replaceRecentBlockhash: true })
      .send()
    expect(replaced.value.err).toBeNull()
    expect(replaced.value.replacementBlockhash?.blockhash).toBe(
      (await rpc.getLatestBlockhash().send()).value.blockhash,
    )
  })

  test('a bad signature fails sigVerify simulation and answers -32003 to sendTransaction', async () => {
    const { payer, merchant } = devnet.svm.accounts
    const transfer = await signTransfer(rpc, {
      from: payer,
      to: merchant.address,
      amount: 1n,
      mint: devnet.svm.mint,
    })
    const bytes = Buffer.from(transfer.wire, 'base64')
    bytes[10] = (bytes[10] ?? 0) ^ 0xff // inside the first signature
    const tampered = bytes.toString('base64') as typeof transfer.wire
    expect((await rpc.simulateTransaction(tampered, { encoding: 'base64' }).send()).value.err).toBeNull()
    expect(
      (await rpc.simulateTransaction(tampered, { encoding: 'base64', sigVerify: true }).send()).value.err,
    ).toBe('SignatureFailure')
    const raw = await rawRpc(devnet.svm.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: [tampered, { encoding: 'base64' }],
    })
    expect(raw).toMatchObject({
      error: { code: -32003, message: 'Transaction signature verification failure' },
    })
  })

  test('a transfer beyond the balance fails preflight with the token error, and lands as failed when sent anyway', async () => {
    const { merchant } = devnet.svm.accounts
    const from = devnet.svm.accounts.others[1]
    if (from === undefined) throw new Error('no others account')
    const transfer = await signTransfer(rpc, {
      from,
      to: merchant.address,
      amount: 2_000_000_000_000n,
      mint: devnet.svm.mint,
    })
    const raw = await rawRpc(devnet.svm.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: [transfer.wire, { encoding: 'base64' }],
    })
    expect(raw).toMatchObject({
      error: {
        code: -32002,
        message: 'Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1',
        data: { err: { InstructionError: [0, { Custom: 1 }] } },
      },
    })
    const lamportsBefore = (await rpc.getBalance(from.address as never).send()).value
    await rpc.sendTransaction(transfer.wire, { encoding: 'base64', skipPreflight: true }).send()
    const status = await waitForStatus(rpc, transfer.signature)
    // Kit reads every JSON number as a bigint unless it knows the field.
    expect(status).toMatchObject({
      err: { InstructionError: [0n, { Custom: 1n }] },
      status: { Err: { InstructionError: [0n, { Custom: 1n }] } },
      confirmationStatus: 'finalized',
    })
    expect((await rpc.getBalance(from.address as never).send()).value).toBe(lamportsBefore - 5000n)
    expect(await svmTokenBalance(devnet, from.address)).toBe(1_000_000_000_000n)
  })

  test('a Token-2022 TransferChecked paid by the facilitator moves USDC-2022 and only the fee in SOL', async () => {
    const { merchant, facilitator } = devnet.svm.accounts
    const from = devnet.svm.accounts.others[2]
    if (from === undefined) throw new Error('no others account')
    const mint = devnet.svm.mint2022
    const merchantBefore = await svmTokenBalance(devnet, merchant.address, mint)
    const facilitatorLamports = (await rpc.getBalance(facilitator.address as never).send()).value
    const transfer = await signTransfer(rpc, {
      from,
      to: merchant.address,
      amount: 42_000_000n,
      mint,
      feePayer: facilitator,
    })
    await rpc.sendTransaction(transfer.wire, { encoding: 'base64' }).send()
    expect((await waitForStatus(rpc, transfer.signature))?.err).toBeNull()
    expect(await svmTokenBalance(devnet, from.address, mint)).toBe(1_000_000_000_000n - 42_000_000n)
    expect(await svmTokenBalance(devnet, merchant.address, mint)).toBe(merchantBefore + 42_000_000n)
    expect(await svmTokenBalance(devnet, merchant.address)).toBeGreaterThanOrEqual(0n)
    expect((await rpc.getBalance(facilitator.address as never).send()).value).toBe(
      facilitatorLamports - 10_000n,
    )

    const landed = await rpc
      .getTransaction(transfer.signature, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 })
      .send()
    expect(landed?.meta?.err).toBeNull()
    expect(landed?.meta?.fee).toBe(10_000n)
    expect(landed?.version).toBe(0)
    expect(landed?.transaction.message.instructions).toEqual([
      {
        program: 'spl-token-2022',
        programId: mint.tokenProgram,
        parsed: {
          type: 'transferChecked',
          info: {
            source: transfer.source,
            mint: mint.address,
            destination: transfer.destination,
            authority: from.address,
            tokenAmount: { amount: '42000000', decimals: 6n, uiAmount: 42n, uiAmountString: '42' },
          },
        },
        stackHeight: null,
      },
    ])
    expect(landed?.meta?.postTokenBalances).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          mint: mint.address,
          owner: merchant.address,
          programId: mint.tokenProgram,
          uiTokenAmount: expect.objectContaining({ amount: String(merchantBefore + 42_000_000n) }),
        }),
      ]),
    )
  })
})

describe('blockhash lifetime', () => {
  let devnet: Devnet<'svm'>
  let rpc: Rpc<SolanaRpcApi>

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'], svmSlotMs: 5 })
    rpc = createSvmRpc(devnet)
  })
  afterAll(() => devnet?.stop())

  test('a blockhash stays valid for 150 blocks and is refused once the block height passes lastValidBlockHeight', async () => {
    const { payer, merchant } = devnet.svm.accounts
    const transfer = await signTransfer(rpc, {
      from: payer,
      to: merchant.address,
      amount: 1n,
      mint: devnet.svm.mint,
    })
    const { value: latest } = await rpc.getLatestBlockhash().send()
    expect(latest.lastValidBlockHeight - (await rpc.getBlockHeight().send())).toBeLessThanOrEqual(150n)
    const deadline = Date.now() + 10_000
    while ((await rpc.getBlockHeight().send()) <= transfer.lastValidBlockHeight && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(await rpc.getBlockHeight().send()).toBeGreaterThan(transfer.lastValidBlockHeight)
    const raw = await rawRpc(devnet.svm.rpcUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'sendTransaction',
      params: [transfer.wire, { encoding: 'base64' }],
    })
    expect(raw).toMatchObject({ error: { code: -32002, data: { err: 'BlockhashNotFound' } } })
  })

  test('isBlockhashValid turns false after 150 blocks; getSlot and getBlockHeight advance with time', async () => {
    const { value: latest } = await rpc.getLatestBlockhash().send()
    expect((await rpc.isBlockhashValid(latest.blockhash).send()).value).toBe(true)
    const slot = await rpc.getSlot().send()
    await new Promise((resolve) => setTimeout(resolve, 1000)) // 200 slots of 5 ms
    expect(await rpc.getSlot().send()).toBeGreaterThan(slot + 150n)
    expect((await rpc.isBlockhashValid(latest.blockhash).send()).value).toBe(false)
    const epoch = await rpc.getEpochInfo().send()
    expect(epoch.blockHeight).toBe(epoch.absoluteSlot)
  })
})
