import { type Devnet, startDevnet } from '@open402/devnet'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createFacilitatorFromConfig } from '../src/create-facilitator-from-config.js'
import type { FacilitatorConfigInput } from '../src/facilitator-config.js'
import { createFacilitatorMetrics } from '../src/facilitator-metrics.js'
import { type FacilitatorServer, startFacilitatorServer } from '../src/start-facilitator-server.js'
import { captureLogs } from './log-capture.js'
import { closedPort, type ProxyRule, startRpcProxy } from './rpc-proxy.js'
import { paymentBody, type SignedPayment, signedPayment } from './support/facilitator-fixtures.js'

let devnet: Devnet
beforeAll(async () => {
  devnet = await startDevnet()
})
afterAll(async () => {
  await devnet?.stop()
})

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function serve(config: FacilitatorConfigInput) {
  const metrics = createFacilitatorMetrics({ processMetrics: false })
  const built = await createFacilitatorFromConfig(config, { metrics })
  const logs = captureLogs()
  const server: FacilitatorServer = await startFacilitatorServer({
    facilitator: built.facilitator,
    readiness: built.readiness,
    readinessTimeoutMs: 2000,
    metrics,
    logger: logs.logger,
  })
  cleanups.push(async () => {
    await server.shutdown({ timeoutMs: 100 })
  })
  const call = async (path: string, payment: SignedPayment) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: paymentBody(payment),
    })
    return { status: response.status, body: await response.json() }
  }
  const metricsText = async () => (await fetch(`${server.url}/metrics`)).text()
  return { server, call, metricsText, logs }
}

async function proxy(rule?: ProxyRule) {
  const started = await startRpcProxy(devnet.evm.rpcUrl, rule)
  cleanups.push(started.close)
  return started
}

const evmEntry = (rpcUrl: string, network = devnet.evm.network) => ({
  network,
  rpcUrl,
  privateKeys: [devnet.evm.accounts.facilitator.privateKey],
})

describe('readiness against the devnet', () => {
  it('is ready when the EVM chain id and the Solana genesis hash match the configured networks', async () => {
    const { server } = await serve({
      evm: [evmEntry(devnet.evm.rpcUrl)],
      svm: [
        {
          network: devnet.svm.network,
          rpcUrl: devnet.svm.rpcUrl,
          secretKeys: [devnet.svm.accounts.facilitator.secretKey],
        },
      ],
    })
    const response = await fetch(`${server.url}/readyz`)
    expect(response.status).toBe(200)
    const report = await response.json()
    expect(report.ready).toBe(true)
    expect(Object.keys(report.checks)).toEqual([`rpc ${devnet.evm.network}`, `rpc ${devnet.svm.network}`])
  })

  it('is not ready when a node serves another chain than configured', async () => {
    const { server } = await serve({
      evm: [evmEntry(devnet.evm.rpcUrl, 'eip155:1')],
      svm: [
        {
          network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
          rpcUrl: devnet.svm.rpcUrl,
          secretKeys: [devnet.svm.accounts.facilitator.secretKey],
        },
      ],
    })
    const response = await fetch(`${server.url}/readyz`)
    expect(response.status).toBe(503)
    const { checks } = await response.json()
    expect(checks['rpc eip155:1']).toMatchObject({ ok: false, error: 'eth_chainId is 31337, expected 1' })
    expect(checks['rpc solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp']).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^genesis hash \w+ does not match solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp$/,
      ),
    })
  })
})

describe('failing closed when the chain is unreachable', () => {
  it('refuses verify and settle with a reason and a sentence, and is not ready', async () => {
    const rpcUrl = `http://127.0.0.1:${await closedPort()}`
    const { server, call, metricsText, logs } = await serve({ evm: [evmEntry(rpcUrl)] })
    const payment = await signedPayment(devnet, '1000')

    const verified = await call('/verify', payment)
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({ isValid: false, invalidReason: 'unexpected_verify_error' })
    expect(verified.body.invalidMessage).toMatch(/^could not simulate the transfer on eip155:31337: /)

    const settled = await call('/settle', payment)
    expect(settled.status).toBe(200)
    expect(settled.body).toMatchObject({ success: false, errorReason: 'unexpected_settle_error' })
    // Settle checks the chain first (nobody verified this payment successfully), and says so.
    expect(settled.body.errorMessage).toMatch(/could not simulate the transfer on eip155:31337/)

    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(503)
    expect((await ready.json()).checks['rpc eip155:31337'].ok).toBe(false)

    const text = await metricsText()
    expect(text).toContain('# TYPE open402_signer_balance gauge')
    expect(text).not.toMatch(/^open402_signer_balance\{/m)
    expect(text).toMatch(/^open402_settle_total\{.*result="failure",reason="unexpected_settle_error"\} 1$/m)
    expect(logs.text()).not.toContain(devnet.evm.accounts.facilitator.privateKey.slice(2))
  })

  it('retries reads that fail with 503 and still verifies', async () => {
    const rpc = await proxy((method, seen) =>
      method === 'eth_call' && seen <= 2 ? { status: 503 } : undefined,
    )
    const { call } = await serve({ evm: [evmEntry(rpc.url)], rpc: { retries: 2, retryDelayMs: 20 } })
    const verified = await call('/verify', await signedPayment(devnet, '1000'))
    expect(verified.body).toMatchObject({ isValid: true })
    expect(rpc.calls('eth_call')).toBe(3)
  })

  it('sends a settlement transaction once even when the node answers 503', async () => {
    const rpc = await proxy((method) => (method === 'eth_sendRawTransaction' ? { status: 503 } : undefined))
    const { call } = await serve({ evm: [evmEntry(rpc.url)], rpc: { retries: 3, retryDelayMs: 20 } })
    const settled = await call('/settle', await signedPayment(devnet, '1000'))
    // The signed bytes left and no answer came back: the transfer may still happen, so the settlement is
    // pending with its hash (for the reconciler), never a failure that would invite a second payment.
    expect(settled.body).toMatchObject({
      success: false,
      errorReason: 'settlement_pending',
      status: 'pending',
    })
    expect(settled.body.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(rpc.calls('eth_sendRawTransaction')).toBe(1)
  })
})

describe('signers in the metrics', () => {
  it('spreads settlements over the keys and reports each signer count and native balance', async () => {
    const { accounts, network, rpcUrl } = devnet.evm
    const keys = [accounts.facilitator, accounts.others[0] ?? accounts.facilitator]
    const { call, metricsText } = await serve({
      evm: [{ network, rpcUrl, privateKeys: keys.map((key) => key.privateKey) }],
      svm: [
        {
          network: devnet.svm.network,
          rpcUrl: devnet.svm.rpcUrl,
          secretKeys: [devnet.svm.accounts.facilitator.secretKey],
        },
      ],
    })
    for (const amount of ['1000', '2000']) {
      const settled = await call('/settle', await signedPayment(devnet, amount))
      expect(settled.body).toMatchObject({ success: true })
    }
    const text = await metricsText()
    for (const key of keys) {
      expect(text).toContain(
        `open402_signer_settlements_total{network="${network}",signer="${key.address}"} 1`,
      )
      expect(text).toMatch(
        new RegExp(
          `^open402_signer_balance\\{network="${network}",signer="${key.address}"\\} [1-9][0-9.e+]*$`,
          'm',
        ),
      )
    }
    expect(text).toMatch(
      new RegExp(
        `^open402_signer_balance\\{network="${devnet.svm.network}",signer="${devnet.svm.accounts.facilitator.address}"\\} [1-9]`,
        'm',
      ),
    )
  })
})
