import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { createStorageSettlementLedger, openStorage, type StorageConfig } from '@open402/storage'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createEngineFixture, POSTGRES_URL } from '../../storage/test/engines.js'
import { type FacilitatorConfigInput, parseFacilitatorConfig } from '../src/facilitator-config.js'
import { type FacilitatorService, startFacilitatorService } from '../src/start-facilitator-service.js'
import { startTcpProxy } from './tcp-proxy.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const STORAGE_CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const HASH = /^0x[0-9a-f]{64}$/

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

const rpc = async (method: string, params: unknown[] = []) => {
  const response = await fetch(devnet.evm.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await response.json()) as { result: unknown }).result
}
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

async function signedPayment(amount: string) {
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

async function post(url: string, path: '/settle' | '/verify', body: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  return {
    status: response.status,
    body: (await response.json()) as SettleResponse & Record<string, unknown>,
  }
}

async function settlement(url: string, id: string) {
  const response = await fetch(`${url}/settlements/${id}`)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const idOf = (response: SettleResponse) =>
  (response.extensions?.['open402-settlement'] as { id?: string } | undefined)?.id ?? ''

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

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
  const input: FacilitatorConfigInput = {
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
  }
  const storage = openStorage(storageConfig)
  const service = await startFacilitatorService({
    config: parseFacilitatorConfig(input),
    storage: { storage, ledger: createStorageSettlementLedger(storage) },
  })
  cleanups.push(() => service.close())
  return service
}

describe('settling exactly once with the ledger, on the devnet', () => {
  test('two instances sharing PostgreSQL settle one payment once, agree on it, and answer a retry with the original', async () => {
    const { config } = postgresSchema()
    const first = await startService(config)
    const second = await startService(config, { key: devnet.evm.accounts.others[0]?.privateKey })
    const body = await signedPayment('7000')
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
    const body = await signedPayment('3000')
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
    const body = await signedPayment('4000')
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
  let stderr = ''
  let stdout = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk)
      const newline = stdout.indexOf('\n')
      if (newline !== -1) resolve(stdout.slice(0, newline))
    })
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code} before listening: ${stderr}`)))
  })
  return { child: child as ChildProcess, url: (JSON.parse(firstLine) as { url: string }).url }
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
    const body = await signedPayment('5000')
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
    )
    const hash = sending?.transaction as string
    expect(hash).toMatch(HASH)
    // Broadcast (in the node's pool) but not mined: now the process dies without recording an outcome.
    await until(
      () => rpc('eth_getTransactionByHash', [hash]),
      (tx) => tx !== null,
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
