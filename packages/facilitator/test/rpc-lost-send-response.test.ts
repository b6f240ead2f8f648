import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Devnet, tokenBalance } from '@open402/devnet'
import { createPublicClient, http } from 'viem'
import { describe, expect, test } from 'vitest'
import type { FacilitatorService } from '../src/start-facilitator-service.js'
import {
  getJson,
  payerTransfers,
  settle,
  settlementId,
  signedPaymentBody,
  startSqliteServiceVia,
  until,
  useCleanups,
  useEvmDevnet,
} from './support/facilitator-fixtures.js'
import { startTcpProxy } from './tcp-proxy.js'

const HASH = /^0x[0-9a-f]{64}$/

let devnet: Devnet<'evm'>
useEvmDevnet((started) => {
  devnet = started
})
const cleanups = useCleanups()

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
  const service = await startSqliteServiceVia(cleanups, devnet, `http://127.0.0.1:${tcp.port}`)
  return { service, sends: () => sends }
}

describe('the answer to eth_sendRawTransaction lost after the node accepted the transaction', () => {
  test('the settlement is not reported failed: it stays pending and the reconciler confirms the one transfer', async () => {
    const { service, sends } = await startLostSendService()
    const { network, accounts } = devnet.evm
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const body = await signedPaymentBody(devnet, '2000')
    const fromBlock = (await chain.getBlockNumber()) + 1n
    const merchantBefore = await tokenBalance(devnet, accounts.merchant.address)

    const first = await settle(service.url, body)
    expect(sends()).toBe(1)
    // The node accepted it (automine: it is already mined), so a final failure would be a lie.
    expect((await tokenBalance(devnet, accounts.merchant.address)) - merchantBefore).toBe(2000n)
    expect(first.body).not.toMatchObject({ status: 'failed' })
    expect(first.body).toMatchObject({ success: false, errorReason: 'settlement_pending', status: 'pending' })
    const id = settlementId(first.body)
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
    const logs = await payerTransfers(chain, devnet, fromBlock)
    expect(logs.map((log) => log.transactionHash)).toEqual([hash])
    expect(sends()).toBe(1)
  })
})
