import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
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
 * facilitator → TCP proxy → an HTTP proxy that forwards every call to the devnet but, for
 * `eth_sendRawTransaction`, cuts the TCP proxy once the node has accepted the transaction, before the answer
 * gets back: the node holds the transaction, the facilitator sees a dropped connection and cannot look again.
 */
async function startLostSendService(): Promise<{ service: FacilitatorService; sends: () => number }> {
  let sends = 0
  let cut: () => Promise<void> = async () => {}
  const forwarder = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const upstream = await fetch(devnet.evm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    })
    const answer = await upstream.text()
    if ((JSON.parse(text) as { method?: unknown }).method === 'eth_sendRawTransaction') {
      sends++
      await cut()
      return
    }
    response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(answer)
  })
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise((resolve) => {
        forwarder.close(resolve)
        forwarder.closeAllConnections()
      }),
  )
  const tcp = await startTcpProxy('127.0.0.1', (forwarder.address() as AddressInfo).port)
  cleanups.push(() => tcp.close())
  cut = async () => {
    await tcp.down()
    // The RPC comes back a moment later, for the reconciler.
    setTimeout(() => void tcp.up(), 1000)
  }
  const fixture = createEngineFixture('sqlite')
  cleanups.push(() => fixture.cleanup())
  const storage = openStorage(fixture.config)
  const { network, accounts } = devnet.evm
  const service = await startFacilitatorService({
    config: parseFacilitatorConfig({
      server: { port: 0 },
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
  return { service, sends: () => sends }
}

describe('the answer to eth_sendRawTransaction lost after the node accepted the transaction', () => {
  test('the settlement is not reported failed: it stays pending and the reconciler confirms the one transfer', async () => {
    const { service, sends } = await startLostSendService()
    const { network, token, accounts } = devnet.evm
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const body = await signedPayment('2000')
    const fromBlock = (await chain.getBlockNumber()) + 1n
    const merchantBefore = await tokenBalance(devnet, accounts.merchant.address)

    const first = await settle(service.url, body)
    expect(sends()).toBe(1)
    // The node accepted it (automine: it is already mined), so a final failure would be a lie.
    expect((await tokenBalance(devnet, accounts.merchant.address)) - merchantBefore).toBe(2000n)
    expect(first.body).not.toMatchObject({ status: 'failed' })
    expect(first.body).toMatchObject({ success: false, errorReason: 'settlement_pending', status: 'pending' })
    const id = idOf(first.body)
    const confirmed = await until(
      () => getJson(`${service.url}/settlements/${id}`),
      (answer) => answer.body.state === 'confirmed' || answer.body.state === 'failed',
    )
    expect(confirmed.body).toMatchObject({ state: 'confirmed', response: { success: true } })
    const hash = String(confirmed.body.transaction)
    expect(hash).toMatch(HASH)
    expect((await settle(service.url, body)).body).toMatchObject({
      success: true,
      transaction: hash,
      network,
    })
    const logs = await chain.getLogs({
      address: token.address,
      event: TRANSFER,
      args: { from: accounts.payer.address, to: accounts.merchant.address },
      fromBlock,
      toBlock: 'latest',
    })
    expect(logs.map((log) => log.transactionHash)).toEqual([hash])
    expect(sends()).toBe(1)
  })
})
