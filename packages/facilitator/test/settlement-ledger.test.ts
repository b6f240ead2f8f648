import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SettleResponse } from '@open402/core'
import { type Devnet, tokenBalance } from '@open402/devnet'
import { openStorage, type StorageConfig } from '@open402/storage'
import { createPublicClient, http } from 'viem'
import { describe, expect, test } from 'vitest'
import { createEngineFixture, POSTGRES_URL } from '../../storage/test/engines.js'
import type { FacilitatorService } from '../src/start-facilitator-service.js'
import {
  devnetRpc,
  settlementId as idOf,
  postPayment as post,
  getSettlement as settlement,
  signedPaymentBody,
  startLedgerService,
  until,
  useCleanups,
  useEvmDevnet,
  watchCli,
} from './support/facilitator-fixtures.js'
import { startTcpProxy } from './tcp-proxy.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const STORAGE_CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const HASH = /^0x[0-9a-f]{64}$/

let devnet: Devnet<'evm'>
useEvmDevnet((started) => {
  devnet = started
})
const cleanups = useCleanups()

const rpc = (method: string, params?: unknown[]) => devnetRpc(devnet, method, params)
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

/** A PostgreSQL schema of its own for one test (as the storage suite isolates them), dropped afterwards. */
function postgresSchema(): { config: StorageConfig; schema: string } {
  const fixture = createEngineFixture('postgres')
  cleanups.push(() => fixture.cleanup())
  const config = fixture.config as { postgres: { connectionString: string; schema: string } }
  return { config: fixture.config, schema: config.postgres.schema }
}

function sqliteUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'open402-facilitator-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  return `sqlite:${join(dir, 'open402.db')}`
}

async function startService(
  storageConfig: StorageConfig,
  overrides: { key?: `0x${string}`; receiptTimeoutMs?: number; reconcileIntervalMs?: number } = {},
): Promise<FacilitatorService> {
  const { network, rpcUrl, accounts } = devnet.evm
  return startLedgerService(cleanups, storageConfig, {
    server: { port: 0 },
    evm: [
      {
        network,
        rpcUrl,
        privateKeys: [overrides.key ?? accounts.facilitator.privateKey],
        ...(overrides.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: overrides.receiptTimeoutMs }),
      },
    ],
    storage: { url: 'sqlite:unused', reconcileIntervalMs: overrides.reconcileIntervalMs ?? 10_000 },
    logging: { level: 'silent' },
  })
}

describe('settling exactly once with the ledger, on the devnet', () => {
  test('two instances sharing PostgreSQL settle one payment once, agree on it, and answer a retry with the original', async () => {
    const { config } = postgresSchema()
    const first = await startService(config)
    const second = await startService(config, { key: devnet.evm.accounts.others[0]?.privateKey })
    const body = await signedPaymentBody(devnet, '7000')
    const before = await merchantBalance()

    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        post(index % 2 === 0 ? first.url : second.url, '/settle', body),
      ),
    )

    expect(await merchantBalance()).toBe(before + 7000n)
    // One transfer. A settle that arrives after the first one was confirmed gets that original answer (a
    // retry is answered with the recorded result), so every success carries the same transaction.
    const successes = answers.filter((answer) => answer.body.success)
    expect(successes.length).toBeGreaterThanOrEqual(1)
    const original = successes[0]?.body as SettleResponse
    expect(original.transaction).toMatch(HASH)
    for (const success of successes) expect(success.body).toEqual(original)
    for (const { status, body: answer } of answers) {
      expect(status).toBe(200)
      if (answer.success) continue
      expect(['duplicate_settlement', 'settlement_pending']).toContain(answer.errorReason)
      if (answer.transaction !== '') expect(answer.transaction).toBe(original.transaction)
    }
    const id = idOf(original)
    expect(id).toMatch(/^[0-9a-f]{64}$/)

    expect((await post(second.url, '/settle', body)).body).toEqual(original)
    expect((await post(first.url, '/settle', body)).body).toEqual(original)
    expect(await merchantBalance()).toBe(before + 7000n)
    expect(await settlement(second.url, id)).toMatchObject({
      status: 200,
      body: {
        id,
        state: 'confirmed',
        transaction: original.transaction,
        amount: '7000',
        payTo: devnet.evm.accounts.merchant.address,
        response: original,
      },
    })
    expect(await settlement(first.url, 'f'.repeat(64))).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    })
  })

  test('a settle not mined in time answers pending with its hash; the reconciler confirms it once mined', async () => {
    const service = await startService(
      { url: sqliteUrl() },
      { receiptTimeoutMs: 1500, reconcileIntervalMs: 300 },
    )
    const body = await signedPaymentBody(devnet, '3000')
    const before = await merchantBalance()
    await rpc('evm_setAutomine', [false])
    cleanups.push(() => rpc('evm_setAutomine', [true]))

    const pending = (await post(service.url, '/settle', body)).body
    expect(pending).toMatchObject({ success: false, errorReason: 'settlement_pending', status: 'pending' })
    expect(pending.transaction).toMatch(HASH)
    const id = idOf(pending)
    expect(await settlement(service.url, id)).toMatchObject({
      status: 200,
      body: { state: 'submitted', transaction: pending.transaction },
    })
    expect((await post(service.url, '/settle', body)).body).toMatchObject({
      errorReason: 'settlement_pending',
      transaction: pending.transaction,
    })

    await rpc('evm_mine')
    await rpc('evm_setAutomine', [true])
    const confirmed = await until(
      () => settlement(service.url, id),
      (answer) => answer.body.state === 'confirmed',
      20_000,
    )
    expect(confirmed.body).toMatchObject({ transaction: pending.transaction, response: { success: true } })
    expect((await post(service.url, '/settle', body)).body).toMatchObject({
      success: true,
      transaction: pending.transaction,
    })
    expect(await merchantBalance()).toBe(before + 3000n)
  })

  test('refuses verify and settle with ledger_unavailable while PostgreSQL is unreachable, sends nothing, and resumes', async () => {
    const { schema } = postgresSchema()
    const target = new URL(POSTGRES_URL)
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
    cleanups.push(() => proxy.close())
    const proxied = new URL(POSTGRES_URL)
    proxied.port = String(proxy.port)
    const service = await startService({
      postgres: {
        connectionString: proxied.toString(),
        schema,
        pool: { max: 2, connectionTimeoutMillis: 2000 },
      },
    })
    const body = await signedPaymentBody(devnet, '4000')
    const before = await merchantBalance()
    const client = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const nonce = () => client.getTransactionCount({ address: devnet.evm.accounts.facilitator.address })
    const nonceBefore = await nonce()

    await proxy.down()
    const verify = await post(service.url, '/verify', body)
    expect(verify).toMatchObject({
      status: 503,
      body: { isValid: false, invalidReason: 'ledger_unavailable' },
    })
    const refused = await post(service.url, '/settle', body)
    expect(refused).toMatchObject({
      status: 503,
      body: { success: false, errorReason: 'ledger_unavailable', transaction: '' },
    })
    expect(String(refused.body.errorMessage)).toContain('nothing was sent')
    expect((await fetch(`${service.url}/readyz`)).status).toBe(503)
    expect(await nonce()).toBe(nonceBefore)
    expect(await merchantBalance()).toBe(before)

    await proxy.up()
    const settled = await post(service.url, '/settle', body)
    expect(settled).toMatchObject({ status: 200, body: { success: true } })
    expect(await merchantBalance()).toBe(before + 4000n)
    expect(await settlement(service.url, idOf(settled.body))).toMatchObject({ body: { state: 'confirmed' } })
  })
})

/** Starts the storage-wired CLI; resolves with its URL once it prints its first line. */
async function startCli(env: Record<string, string>) {
  // node itself (tsx as a loader, not its wrapper process), so that SIGKILL kills the server.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@open402/source', STORAGE_CLI], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', OPEN402_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child: child as ChildProcess, url: await watchCli(child).url }
}

describe('the facilitator CLI with SQLite', () => {
  test('a settlement broadcast by a process killed before its receipt is confirmed when the CLI starts again', async () => {
    const url = sqliteUrl()
    const { network, rpcUrl, accounts } = devnet.evm
    const env = {
      OPEN402_EVM_NETWORKS: JSON.stringify([{ network, rpcUrl, receiptTimeoutMs: 60_000 }]),
      OPEN402_FACILITATOR_PRIVATE_KEY: accounts.others[1]?.privateKey ?? '',
      OPEN402_STORAGE_URL: url,
    }
    const body = await signedPaymentBody(devnet, '5000')
    const before = await merchantBalance()
    const first = await startCli(env)
    await rpc('evm_setAutomine', [false])
    cleanups.push(() => rpc('evm_setAutomine', [true]))

    const inFlight = post(first.url, '/settle', body).catch(() => undefined)
    const reader = openStorage({ url })
    cleanups.push(() => reader.close())
    const sending = await until(
      async () => (await reader.settlements.list({ limit: 1 })).records[0],
      (record) => record?.state === 'sending',
      20_000,
    )
    const hash = sending?.transaction as string
    expect(hash).toMatch(HASH)
    // Broadcast (in the node's pool) but not mined: now the process dies without recording an outcome.
    await until(
      () => rpc('eth_getTransactionByHash', [hash]),
      (tx) => tx !== null,
      20_000,
    )
    first.child.kill('SIGKILL')
    await inFlight
    await rpc('evm_mine')
    await rpc('evm_setAutomine', [true])
    expect((await reader.settlements.get(sending?.id as string))?.state).toBe('sending')

    const second = await startCli(env)
    expect(await settlement(second.url, sending?.id as string)).toMatchObject({
      status: 200,
      body: { state: 'confirmed', transaction: hash },
    })
    expect((await post(second.url, '/settle', body)).body).toMatchObject({ success: true, transaction: hash })
    expect(await merchantBalance()).toBe(before + 5000n)
    second.child.kill('SIGTERM')
  })
})
