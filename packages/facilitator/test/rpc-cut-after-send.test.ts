import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { createStorageSettlementLedger, openStorage } from '@open402/storage'
import { createPublicClient, http, parseAbiItem } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createEngineFixture } from '../../storage/test/engines.js'
import { parseFacilitatorConfig } from '../src/facilitator-config.js'
import { type FacilitatorService, startFacilitatorService } from '../src/start-facilitator-service.js'
import { startRpcProxy } from './rpc-proxy.js'
import { startTcpProxy } from './tcp-proxy.js'

const HASH = /^0x[0-9a-f]{64}$/
const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

let devnet: Devnet<'evm'>
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})
afterAll(async () => {
  await devnet?.stop()
})

/** A JSON-RPC call straight to the devnet node, never through the proxies. */
async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(devnet.evm.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await response.json()) as { result: unknown }).result
}

async function signedPayment(amount: string): Promise<string> {
  const { network, token, accounts } = devnet.evm
  const requirements: PaymentRequirements = {
    scheme: 'exact',
    network,
    amount,
    asset: token.address,
    payTo: accounts.merchant.address,
    maxTimeoutSeconds: 300,
    extra: { name: token.name, version: token.version },
  }
  const client = exactEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey) })
  const resource = { url: 'http://localhost/report' }
  const payload: PaymentPayload = {
    x402Version: 2,
    resource,
    accepted: requirements,
    payload: await client.createPayload(requirements, { x402Version: 2, resource }),
  }
  return JSON.stringify({ x402Version: 2, paymentPayload: payload, paymentRequirements: requirements })
}

async function settle(url: string, body: string) {
  const response = await fetch(`${url}/settle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  return { status: response.status, body: (await response.json()) as SettleResponse }
}

async function getJson(url: string) {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const idOf = (response: SettleResponse) =>
  (response.extensions?.['open402-settlement'] as { id?: string } | undefined)?.id ?? ''

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * The facilitator reaches the chain through a TCP proxy the test cuts, in front of a JSON-RPC proxy that
 * counts calls by method: facilitator → TCP proxy → counting proxy → devnet.
 */
async function startCutService(): Promise<{
  service: FacilitatorService
  tcp: Awaited<ReturnType<typeof startTcpProxy>>
  counter: Awaited<ReturnType<typeof startRpcProxy>>
}> {
  const counter = await startRpcProxy(devnet.evm.rpcUrl)
  cleanups.push(() => counter.close())
  const tcp = await startTcpProxy('127.0.0.1', Number(new URL(counter.url).port))
  cleanups.push(() => tcp.close())
  const fixture = createEngineFixture('sqlite')
  cleanups.push(() => fixture.cleanup())
  const storage = openStorage(fixture.config)
  const { network, accounts } = devnet.evm
  const service = await startFacilitatorService({
    config: parseFacilitatorConfig({
      server: { port: 0, readinessTimeoutMs: 1000 },
      evm: [
        {
          network,
          rpcUrl: `http://127.0.0.1:${tcp.port}`,
          privateKeys: [accounts.facilitator.privateKey],
          receiptTimeoutMs: 1500,
        },
      ],
      rpc: { retries: 1, retryDelayMs: 50 },
      storage: { url: 'sqlite:unused', reconcileIntervalMs: 500 },
      logging: { level: 'silent' },
    }),
    storage: { storage, ledger: createStorageSettlementLedger(storage) },
  })
  cleanups.push(() => service.close())
  return { service, tcp, counter }
}

describe('the chain RPC unreachable right after a settlement was broadcast', () => {
  test('the settlement is pending with its hash, /readyz fails while cut, and the reconciler confirms it once the RPC is back', async () => {
    const { service, tcp, counter } = await startCutService()
    const { network, token, accounts } = devnet.evm
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const body = await signedPayment('6000')
    const fromBlock = (await chain.getBlockNumber()) + 1n
    const merchantBefore = await tokenBalance(devnet, accounts.merchant.address)
    const rpcCheck = `rpc ${network}`
    expect(await getJson(`${service.url}/readyz`)).toMatchObject({ status: 200, body: { ready: true } })

    await rpc('evm_setAutomine', [false])
    cleanups.push(() => rpc('evm_setAutomine', [true]))
    // The first receipt poll comes after the node accepted the transaction: cut the RPC there.
    const polling = counter.seen('eth_getTransactionReceipt')
    const settling = settle(service.url, body)
    await polling
    await tcp.down()

    const pending = await settling
    expect(pending).toMatchObject({
      status: 200,
      body: { success: false, errorReason: 'settlement_pending', status: 'pending', network },
    })
    const hash = pending.body.transaction
    expect(hash).toMatch(HASH)
    expect(counter.calls('eth_sendRawTransaction')).toBe(1)
    // Broadcast, in the node's pool, not mined.
    expect(await rpc('eth_getTransactionByHash', [hash])).toMatchObject({ hash, blockNumber: null })
    const id = idOf(pending.body)
    const settlementUrl = `${service.url}/settlements/${id}`
    expect(await getJson(settlementUrl)).toMatchObject({
      status: 200,
      body: { id, state: 'submitted', transaction: hash, payer: accounts.payer.address },
    })

    // While cut: not ready (the chain check fails, the database is fine) and a retry gets the same hash.
    const notReady = await until(
      () => getJson(`${service.url}/readyz`),
      (answer) => answer.status === 503,
    )
    expect(notReady.body).toMatchObject({
      ready: false,
      checks: { [rpcCheck]: { ok: false }, storage: { ok: true } },
    })
    expect((await settle(service.url, body)).body).toMatchObject({
      success: false,
      errorReason: 'settlement_pending',
      status: 'pending',
      transaction: hash,
    })

    // Mined while the facilitator cannot see it: passes of the reconciler leave the record alone.
    await rpc('evm_mine')
    await rpc('evm_setAutomine', [true])
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect((await getJson(settlementUrl)).body).toMatchObject({ state: 'submitted', transaction: hash })

    await tcp.up()
    const confirmed = await until(
      () => getJson(settlementUrl),
      (answer) => answer.body.state === 'confirmed',
    )
    expect(confirmed.body).toMatchObject({
      transaction: hash,
      response: { success: true, transaction: hash },
    })
    expect((await settle(service.url, body)).body).toMatchObject({
      success: true,
      transaction: hash,
      network,
      payer: accounts.payer.address,
    })
    const ready = await until(
      () => getJson(`${service.url}/readyz`),
      (answer) => answer.status === 200,
    )
    expect(ready.body).toMatchObject({ ready: true, checks: { [rpcCheck]: { ok: true } } })

    // Exactly one transfer, the recorded one, and it was broadcast once (the reconciler found it mined).
    const logs = await chain.getLogs({
      address: token.address,
      event: TRANSFER,
      args: { from: accounts.payer.address, to: accounts.merchant.address },
      fromBlock,
      toBlock: 'latest',
    })
    expect(logs.map((log) => [log.transactionHash, log.args.value])).toEqual([[hash, 6000n]])
    expect((await tokenBalance(devnet, accounts.merchant.address)) - merchantBefore).toBe(6000n)
    expect(counter.calls('eth_sendRawTransaction')).toBe(1)
  })
})
