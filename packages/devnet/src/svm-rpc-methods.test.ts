import {
  type Address,
  type Blockhash,
  compileTransactionMessage,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase58Encoder,
  getBase64Decoder,
  getCompiledTransactionMessageEncoder,
  isSolanaError,
  pipe,
  type Rpc,
  SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND,
  type SolanaRpcApi,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { fetchMint } from '@solana-program/token'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rawRpc, signTransfer, waitForStatus } from '../test/svm-transfers.js'
import type { Devnet } from './devnet-description.js'
import { mintSvmTokens } from './mint-svm-tokens.js'
import { startDevnet } from './start-devnet.js'
import { INITIAL_LAMPORTS } from './svm-constants.js'
import { svmAssociatedTokenAddress } from './svm-genesis.js'
import { createSvmRpc } from './svm-rpc.js'

const addr = (value: string) => value as Address
const BASE58_32 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/

describe('Solana JSON-RPC methods', () => {
  let devnet: Devnet<'svm'>
  let rpc: Rpc<SolanaRpcApi>
  let payerAta: string

  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['svm'] })
    rpc = createSvmRpc(devnet)
    const { mint } = devnet.svm
    payerAta = await svmAssociatedTokenAddress(
      devnet.svm.accounts.payer.address,
      mint.address,
      mint.tokenProgram,
    )
  })
  afterAll(() => devnet?.stop())

  const call = (method: string, params: unknown[] = [], id: unknown = 1) =>
    rawRpc(devnet.svm.rpcUrl, { jsonrpc: '2.0', id, method, params })

  test('identity: getGenesisHash is Solana devnet’s, getVersion, getHealth', async () => {
    expect(await rpc.getGenesisHash().send()).toBe('EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG')
    expect(devnet.svm.network).toBe(`solana:${devnet.svm.genesisHash.slice(0, 32)}`)
    expect(await rpc.getVersion().send()).toEqual({ 'solana-core': '3.0.0', 'feature-set': 0 })
    expect(await rpc.getHealth().send()).toBe('ok')
    expect(await (await fetch(`${devnet.svm.rpcUrl}/health`)).text()).toBe('ok')
  })

  test('answers browsers from any origin: CORS preflight and headers on answers', async () => {
    const preflight = await fetch(devnet.svm.rpcUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type')
    const answer = await fetch(devnet.svm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://shop.example' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' }),
    })
    expect(answer.headers.get('access-control-allow-origin')).toBe('*')
    expect(await answer.json()).toEqual({ jsonrpc: '2.0', id: 1, result: 'ok' })
  })

  test('getLatestBlockhash, getSlot, getBlockHeight, getEpochInfo and isBlockhashValid agree', async () => {
    const latest = await rpc.getLatestBlockhash({ commitment: 'finalized' }).send()
    expect(latest.value.blockhash).toMatch(BASE58_32)
    expect(getBase58Encoder().encode(latest.value.blockhash)).toHaveLength(32)
    expect(latest.value.lastValidBlockHeight).toBe(latest.context.slot + 150n)
    const [slot, height, epoch] = await Promise.all([
      rpc.getSlot().send(),
      rpc.getBlockHeight().send(),
      rpc.getEpochInfo().send(),
    ])
    expect(slot).toBeGreaterThanOrEqual(latest.context.slot)
    expect(height).toBeGreaterThanOrEqual(latest.context.slot)
    expect(epoch).toMatchObject({ epoch: 0n, slotsInEpoch: 432_000n })
    expect(epoch.slotIndex).toBe(epoch.absoluteSlot)
    expect((await rpc.isBlockhashValid(latest.value.blockhash).send()).value).toBe(true)
    expect((await rpc.isBlockhashValid(devnet.svm.genesisHash as Blockhash).send()).value).toBe(false)
  })

  test('the USDC mint sits at the public devnet USDC address with 6 decimals and the devnet mint authority', async () => {
    expect(devnet.svm.mint.address).toBe('4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU')
    const mint = await fetchMint(rpc, addr(devnet.svm.mint.address))
    expect(mint.programAddress).toBe('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA')
    expect(mint.data).toMatchObject({
      decimals: 6,
      isInitialized: true,
      supply: 17_000_000_000_000n, // payer and 16 others, 1,000,000 each
      mintAuthority: { __option: 'Some', value: devnet.svm.mintAuthority.address },
      freezeAuthority: { __option: 'None' },
    })
    const mint2022 = await rpc
      .getAccountInfo(addr(devnet.svm.mint2022.address), { encoding: 'jsonParsed' })
      .send()
    expect(mint2022.value?.owner).toBe('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb')
    expect(mint2022.value?.data).toMatchObject({
      program: 'spl-token-2022',
      parsed: { type: 'mint', info: { decimals: 6, mintAuthority: devnet.svm.mintAuthority.address } },
    })
  })

  test('getAccountInfo answers base64, base58 (the default), dataSlice, jsonParsed and null', async () => {
    const { value } = await rpc.getAccountInfo(addr(payerAta), { encoding: 'base64' }).send()
    expect(value).toMatchObject({
      owner: devnet.svm.mint.tokenProgram,
      executable: false,
      lamports: 2_039_280n,
      space: 165n,
      rentEpoch: 18_446_744_073_709_551_615n,
    })
    const data = Buffer.from(value?.data[0] ?? '', 'base64')
    expect(data.readBigUInt64LE(64)).toBe(1_000_000_000_000n)
    const sliced = await call('getAccountInfo', [
      payerAta,
      { encoding: 'base64', dataSlice: { offset: 64, length: 8 } },
    ])
    expect(sliced).toMatchObject({
      result: { value: { data: [data.subarray(64, 72).toString('base64'), 'base64'] } },
    })
    const mintBase58 = await call('getAccountInfo', [devnet.svm.mint.address])
    expect(mintBase58).toMatchObject({
      result: { context: { slot: expect.any(Number) }, value: { space: 82 } },
    })
    const parsed = await rpc.getAccountInfo(addr(payerAta), { encoding: 'jsonParsed' }).send()
    expect(parsed.value?.data).toEqual({
      program: 'spl-token',
      parsed: {
        type: 'account',
        info: {
          isNative: false,
          mint: devnet.svm.mint.address,
          owner: devnet.svm.accounts.payer.address,
          state: 'initialized',
          tokenAmount: {
            amount: '1000000000000',
            decimals: 6,
            uiAmount: 1_000_000,
            uiAmountString: '1000000',
          },
        },
      },
      space: 165n,
    })
    const missing = await rpc
      .getAccountInfo(addr('11111111111111111111111111111112'), { encoding: 'base64' })
      .send()
    expect(missing.value).toBeNull()
  })

  test('base64+zstd account data is a zstd frame of raw blocks holding the data', async () => {
    const { value } = await rpc.getAccountInfo(addr(payerAta), { encoding: 'base64' }).send()
    const answer = (await call('getAccountInfo', [payerAta, { encoding: 'base64+zstd' }])) as {
      result: { value: { data: [string, string] } }
    }
    const frame = Buffer.from(answer.result.value.data[0], 'base64')
    expect(answer.result.value.data[1]).toBe('base64+zstd')
    expect([...frame.subarray(0, 5)]).toEqual([0x28, 0xb5, 0x2f, 0xfd, 0xe0])
    expect(frame.readBigUInt64LE(5)).toBe(165n)
    const blockHeader = frame.readUIntLE(13, 3)
    expect({ last: blockHeader & 1, type: (blockHeader >> 1) & 3, size: blockHeader >> 3 }).toEqual({
      last: 1,
      type: 0,
      size: 165,
    })
    expect(frame.subarray(16).toString('base64')).toBe(value?.data[0])
  })

  test('getMultipleAccounts, getBalance, getTokenAccountBalance and getMinimumBalanceForRentExemption', async () => {
    const { value } = await rpc
      .getMultipleAccounts([addr(devnet.svm.mint.address), addr('11111111111111111111111111111112')], {
        encoding: 'base64',
      })
      .send()
    expect(value).toHaveLength(2)
    expect(value[0]?.space).toBe(82n)
    expect(value[1]).toBeNull()
    expect((await rpc.getBalance(addr(devnet.svm.accounts.merchant.address)).send()).value).toBe(
      INITIAL_LAMPORTS,
    )
    expect((await rpc.getBalance(addr('11111111111111111111111111111112')).send()).value).toBe(0n)
    expect((await rpc.getTokenAccountBalance(addr(payerAta)).send()).value).toEqual({
      amount: '1000000000000',
      decimals: 6,
      uiAmount: 1_000_000,
      uiAmountString: '1000000',
    })
    expect(await call('getTokenAccountBalance', [devnet.svm.accounts.payer.address])).toMatchObject({
      error: { code: -32602, message: 'Invalid param: not a Token account' },
    })
    expect(await rpc.getMinimumBalanceForRentExemption(165n).send()).toBe(2_039_280n)
    expect(await rpc.getMinimumBalanceForRentExemption(0n).send()).toBe(890_880n)
  })

  test('getTokenAccountsByOwner and getProgramAccounts with filters find the payer’s token accounts', async () => {
    const { payer } = devnet.svm.accounts
    const byMint = await rpc
      .getTokenAccountsByOwner(
        addr(payer.address),
        { mint: addr(devnet.svm.mint.address) },
        { encoding: 'base64' },
      )
      .send()
    expect(byMint.value.map((entry) => entry.pubkey)).toEqual([payerAta])
    const byProgram = await rpc
      .getTokenAccountsByOwner(
        addr(payer.address),
        { programId: addr(devnet.svm.mint2022.tokenProgram) },
        { encoding: 'jsonParsed' },
      )
      .send()
    expect(byProgram.value).toHaveLength(1)
    expect(byProgram.value[0]?.account.data.parsed.info).toMatchObject({
      mint: devnet.svm.mint2022.address,
      owner: payer.address,
      extensions: [{ extension: 'immutableOwner' }],
    })
    const filtered = await rpc
      .getProgramAccounts(addr(devnet.svm.mint.tokenProgram), {
        encoding: 'base64',
        filters: [
          { dataSize: 165n },
          { memcmp: { offset: 32n, bytes: payer.address as never, encoding: 'base58' } },
        ],
      })
      .send()
    expect(filtered.map((entry) => entry.pubkey)).toEqual([payerAta])
  })

  test('getFeeForMessage prices a message, and answers null for an unknown blockhash', async () => {
    const { value: latest } = await rpc.getLatestBlockhash().send()
    const messageFor = (lifetime: { blockhash: Blockhash; lastValidBlockHeight: bigint }) =>
      getBase64Decoder().decode(
        getCompiledTransactionMessageEncoder().encode(
          compileTransactionMessage(
            pipe(
              createTransactionMessage({ version: 0 }),
              (m) => setTransactionMessageFeePayer(addr(devnet.svm.accounts.payer.address), m),
              (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
            ),
          ),
        ),
      )
    expect((await rpc.getFeeForMessage(messageFor(latest) as never).send()).value).toBe(5000n)
    const stale = { blockhash: devnet.svm.genesisHash as Blockhash, lastValidBlockHeight: 0n }
    expect((await rpc.getFeeForMessage(messageFor(stale) as never).send()).value).toBeNull()
  })

  test('getTransaction answers json, jsonParsed (with parsed inner instructions) and base64, and -32015 without maxSupportedTransactionVersion', async () => {
    const fresh = (await generateKeyPairSigner()).address
    const signature = await mintSvmTokens(devnet, fresh, 3_000_000n)
    const parsed = await rpc
      .getTransaction(signature as never, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 })
      .send()
    expect(parsed?.meta?.err).toBeNull()
    expect(parsed?.meta?.logMessages).toContain(
      'Program ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL success',
    )
    const firstInner = parsed?.meta?.innerInstructions?.[0]
    expect(firstInner?.index).toBe(0)
    expect(firstInner?.instructions).toContainEqual(
      expect.objectContaining({
        program: 'system',
        parsed: expect.objectContaining({ type: 'createAccount' }),
      }),
    )
    expect(parsed?.transaction.message.instructions[1]).toMatchObject({
      program: 'spl-token',
      parsed: { type: 'mintToChecked', info: { mintAuthority: devnet.svm.mintAuthority.address } },
    })
    expect(parsed?.meta?.postTokenBalances).toContainEqual(
      expect.objectContaining({
        owner: fresh,
        uiTokenAmount: expect.objectContaining({ amount: '3000000' }),
      }),
    )
    expect(parsed?.meta?.preTokenBalances).toEqual([])

    const json = await rpc
      .getTransaction(signature as never, { encoding: 'json', maxSupportedTransactionVersion: 0 })
      .send()
    expect(json?.transaction.signatures).toEqual([signature])
    expect(json?.transaction.message.accountKeys[0]).toBe(devnet.svm.mintAuthority.address)
    expect(json?.transaction.message.header).toEqual({
      numRequiredSignatures: 1,
      numReadonlySignedAccounts: 0,
      numReadonlyUnsignedAccounts: 4, // owner, system, token and associated token programs
    })
    const base64 = await rpc
      .getTransaction(signature as never, { encoding: 'base64', maxSupportedTransactionVersion: 0 })
      .send()
    expect(base64?.transaction[1]).toBe('base64')
    expect(await call('getTransaction', [signature, { encoding: 'json' }])).toMatchObject({
      error: { code: -32015 },
    })
    expect(
      await rpc
        .getTransaction('1'.repeat(64) as never, { encoding: 'json', maxSupportedTransactionVersion: 0 })
        .send(),
    ).toBeNull()
  })

  test('simulateTransaction can return post-simulation accounts; getRecentPrioritizationFees reports landed prices', async () => {
    const from = devnet.svm.accounts.others[6]
    if (from === undefined) throw new Error('no others account')
    const price = new Uint8Array(9)
    price[0] = 3
    new DataView(price.buffer).setBigUint64(1, 7_000n, true)
    const transfer = await signTransfer(rpc, {
      from,
      to: devnet.svm.accounts.merchant.address,
      amount: 500_000n,
      mint: devnet.svm.mint,
      extraInstructions: [
        { programAddress: addr('ComputeBudget111111111111111111111111111111'), data: price },
      ],
    })
    const simulation = await rpc
      .simulateTransaction(transfer.wire, {
        encoding: 'base64',
        accounts: { addresses: [addr(transfer.source)], encoding: 'base64' },
      })
      .send()
    expect(simulation.value.err).toBeNull()
    const post = Buffer.from(simulation.value.accounts?.[0]?.data[0] ?? '', 'base64')
    expect(post.readBigUInt64LE(64)).toBe(1_000_000_000_000n - 500_000n)
    await rpc.sendTransaction(transfer.wire, { encoding: 'base64' }).send()
    expect((await waitForStatus(rpc, transfer.signature))?.err).toBeNull()
    const fees = await rpc.getRecentPrioritizationFees([addr(transfer.source)]).send()
    expect(fees.map((entry) => entry.prioritizationFee)).toContain(7_000n)
    const landed = await rpc
      .getTransaction(transfer.signature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
      .send()
    // 5,000 for the signature, plus 7,000 micro-lamports × (3,000 + 200,000) default units, rounded up.
    expect(landed?.meta?.fee).toBe(5_000n + 1_421n)
  })

  test('requestAirdrop credits lamports, and u64 values beyond 2^53 travel as exact JSON numbers', async () => {
    const recipient = (await generateKeyPairSigner()).address
    const lamports = 9_007_199_254_740_993n // 2^53 + 1
    const response = await fetch(devnet.svm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"jsonrpc":"2.0","id":1,"method":"requestAirdrop","params":["${recipient}",${lamports}]}`,
    })
    const { result: signature } = (await response.json()) as { result: string }
    expect((await waitForStatus(rpc, signature as never))?.err).toBeNull()
    const balance = await fetch(devnet.svm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getBalance', params: [recipient] }),
    })
    expect(await balance.text()).toContain(`"value":${lamports}}`)
    expect((await rpc.getBalance(addr(recipient)).send()).value).toBe(lamports)
  })

  test('an unknown method answers -32601, which Kit reports as METHOD_NOT_FOUND', async () => {
    expect(await call('getBlock', [1])).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32601, message: 'Method not found' },
    })
    const kitCall = rpc.getBlock(1n).send()
    await expect(kitCall).rejects.toSatisfy((error) =>
      isSolanaError(error, SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND),
    )
  })

  test('bad params answer -32602, bad JSON -32700, a bad request -32600', async () => {
    expect(await call('getBalance', ['not-an-address'])).toMatchObject({ error: { code: -32602 } })
    expect(await call('getMultipleAccounts', ['nope'])).toMatchObject({ error: { code: -32602 } })
    const parseError = await fetch(devnet.svm.rpcUrl, { method: 'POST', body: '{"jsonrpc":' })
    expect(await parseError.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error' },
    })
    expect(await rawRpc(devnet.svm.rpcUrl, { id: 3, method: 'getSlot' })).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32600, message: 'Invalid request' },
    })
  })

  test('a batch is answered in order, each request on its own', async () => {
    const answer = await rawRpc(devnet.svm.rpcUrl, [
      { jsonrpc: '2.0', id: 'a', method: 'getGenesisHash' },
      { jsonrpc: '2.0', id: 'b', method: 'noSuchMethod', params: [] },
      { jsonrpc: '2.0', id: 'c', method: 'getBalance', params: [devnet.svm.accounts.facilitator.address] },
    ])
    expect(answer).toEqual([
      { jsonrpc: '2.0', id: 'a', result: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG' },
      { jsonrpc: '2.0', id: 'b', error: { code: -32601, message: 'Method not found' } },
      {
        jsonrpc: '2.0',
        id: 'c',
        result: { context: { slot: expect.any(Number), apiVersion: '3.0.0' }, value: 1_000_000_000_000 },
      },
    ])
  })

  test('getSignatureStatuses answers null for unknown signatures and counts landed transactions', async () => {
    const { value } = await rpc.getSignatureStatuses(['1'.repeat(64) as never]).send()
    expect(value).toEqual([null])
    expect(await rpc.getTransactionCount().send()).toBeGreaterThanOrEqual(2n)
  })
})
