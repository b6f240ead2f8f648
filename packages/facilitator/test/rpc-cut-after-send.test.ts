import { type Devnet, tokenBalance } from '@open402/devnet'
import { createPublicClient, http } from 'viem'
import { describe, expect, test } from 'vitest'
import type { FacilitatorService } from '../src/start-facilitator-service.js'
import { startRpcProxy } from './rpc-proxy.js'
import {
  devnetRpc,
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

/** A JSON-RPC call straight to the devnet node, never through the proxies. */
const rpc = (method: string, params?: unknown[]) => devnetRpc(devnet, method, params)

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
  const service = await startSqliteServiceVia(cleanups, devnet, `http://127.0.0.1:${tcp.port}`, {
    port: 0,
    readinessTimeoutMs: 1000,
  })
  return { service, tcp, counter }
}

describe('the chain RPC unreachable right after a settlement was broadcast', () => {
  test('the settlement is pending with its hash, /readyz fails while cut, and the reconciler confirms it once the RPC is back', async () => {
    const { service, tcp, counter } = await startCutService()
    const { network, accounts } = devnet.evm
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const body = await signedPaymentBody(devnet, '6000')
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
    const id = settlementId(pending.body)
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
    const logs = await payerTransfers(chain, devnet, fromBlock)
    expect(logs.map((log) => [log.transactionHash, log.args.value])).toEqual([[hash, 6000n]])
    expect((await tokenBalance(devnet, accounts.merchant.address)) - merchantBefore).toBe(6000n)
    expect(counter.calls('eth_sendRawTransaction')).toBe(1)
  })
})
