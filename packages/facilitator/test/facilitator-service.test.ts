import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHttpFacilitatorClient } from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFacilitatorFromConfig } from '../src/create-facilitator-from-config.js'
import { type FacilitatorServer, startFacilitatorServer } from '../src/start-facilitator-server.js'
import { startRpcProxy } from './rpc-proxy.js'
import { paymentBody, signedPayment, watchCli } from './support/facilitator-fixtures.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const TSX = `${ROOT}node_modules/.bin/tsx`

let devnet: Devnet
let service: FacilitatorServer

beforeAll(async () => {
  devnet = await startDevnet()
  const { network, rpcUrl, accounts } = devnet.evm
  const { facilitator } = await createFacilitatorFromConfig({
    evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey] }],
  })
  service = await startFacilitatorServer({ facilitator })
})

afterAll(async () => {
  await service?.close()
  await devnet?.stop()
})

describe('facilitator service on the devnet', () => {
  it('lists the exact EVM kind and the facilitator signer at /supported', async () => {
    const response = await fetch(`${service.url}/supported`)
    expect(response.status).toBe(200)
    const supported = await response.json()
    expect(supported.kinds).toEqual([{ x402Version: 2, scheme: 'exact', network: devnet.evm.network }])
    expect(supported.signers).toEqual({ 'eip155:*': [devnet.evm.accounts.facilitator.address] })
  })

  it('verifies and settles a real payment through createHttpFacilitatorClient', async () => {
    const remote = createHttpFacilitatorClient({ url: service.url })
    const merchant = devnet.evm.accounts.merchant.address
    const before = await tokenBalance(devnet, merchant)
    const { payload, requirements } = await signedPayment(devnet, '25000')

    const verified = await remote.verify(payload, requirements)
    expect(verified).toMatchObject({ isValid: true, payer: devnet.evm.accounts.payer.address })

    const settled = await remote.settle(payload, requirements)
    expect(settled).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await tokenBalance(devnet, merchant)).toBe(before + 25000n)
  })

  it('answers a payment for the wrong amount with isValid false and a reason, over HTTP', async () => {
    const { payload, requirements } = await signedPayment(devnet, '1000')
    const response = await fetch(`${service.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        x402Version: 2,
        paymentPayload: payload,
        paymentRequirements: { ...requirements, amount: '2000' },
      }),
    })
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body.isValid).toBe(false)
    expect(typeof body.invalidReason).toBe('string')
  })
})

/** Starts the CLI from sources with `env` and resolves with its URL once it prints its first line. */
async function startCli(env: Record<string, string>) {
  // Each CLI run gets its own ledger file, never the default ./open402.db in the working directory.
  const dir = mkdtempSync(join(tmpdir(), 'open402-cli-'))
  const child = spawn(TSX, ['--conditions=@open402/source', CLI], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', OPEN402_STORAGE_URL: `sqlite:${join(dir, 'ledger.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const { url, output } = watchCli(child)
  return { child, url: await url, output }
}

describe('open402-facilitator CLI', () => {
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('starts from environment configuration, answers /healthz and exits 0 on SIGTERM', async () => {
    const { network, rpcUrl, accounts } = devnet.evm
    const { child, url, output } = await startCli({
      OPEN402_EVM_NETWORKS: JSON.stringify([{ network, rpcUrl }]),
      OPEN402_FACILITATOR_PRIVATE_KEY: accounts.facilitator.privateKey,
    })
    children.push(child)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    const supported = await (await fetch(`${url}/supported`)).json()
    expect(supported.signers['eip155:*']).toEqual([accounts.facilitator.address])
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(200)

    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const [code] = await exited
    expect(code).toBe(0)
    const lines = output()
      .stdout.trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['listening', 'request', 'draining in-flight requests', 'closed']),
    )
    expect(output().stdout).not.toContain(accounts.facilitator.privateKey.slice(2))
  })

  it('finishes an in-flight settlement after SIGTERM and exits 0', async () => {
    const { network, accounts } = devnet.evm
    // The chain answers receipts slowly, so the settlement is still running when SIGTERM arrives.
    const rpc = await startRpcProxy(devnet.evm.rpcUrl, (method) =>
      method === 'eth_getTransactionReceipt' ? { delayMs: 1500 } : undefined,
    )
    try {
      const { child, url, output } = await startCli({
        OPEN402_EVM_NETWORKS: JSON.stringify([{ network, rpcUrl: rpc.url }]),
        OPEN402_FACILITATOR_PRIVATE_KEY: accounts.facilitator.privateKey,
      })
      children.push(child)
      const merchant = accounts.merchant.address
      const before = await tokenBalance(devnet, merchant)
      const payment = await signedPayment(devnet, '7000')
      const sent = rpc.seen('eth_sendRawTransaction')
      const settling = fetch(`${url}/settle`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: paymentBody(payment),
      })
      await sent
      const exited = once(child, 'exit')
      child.kill('SIGTERM')

      const response = await settling
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ success: true, status: 'confirmed' })
      const [code] = await exited
      expect(code).toBe(0)
      expect(rpc.calls('eth_sendRawTransaction')).toBe(1)
      expect(await tokenBalance(devnet, merchant)).toBe(before + 7000n)
      expect(output().stdout).toContain('"drained":true')
    } finally {
      await rpc.close()
    }
  })
})
