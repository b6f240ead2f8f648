// The fixture app (test/fixture-app) built with the real `next build` and served by `next start` on
// 127.0.0.1, its resource server configured from the environment set here: the devnet's EVM chain and
// an in-process facilitator. A client pays with @open402/fetch and the exact EVM scheme.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { rm, rmdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPaymentClient, decodePaymentRequired } from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rawRequest } from '../../conformance/test/raw-request.js'

const APP_DIR = fileURLToPath(new URL('./fixture-app', import.meta.url))
const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next')
// Relative to APP_DIR, one per run, so parallel runs never share a build.
const DIST_DIR = `.next/test-${process.pid}`
const PRICE_ATOMIC = 1000n // "$0.001" of the 6-decimal devnet USDC
// Targets some proxy or router may map to /api/weather; Next answers 402, 404 or a 308 redirect.
const ODD_TARGETS = [
  '/API/WEATHER',
  '/api/weather/',
  '//api/weather',
  '/api/./weather',
  '/api/x/../weather',
  '/api%2Fweather',
  '/api/weather%2F',
  '/api/%77eather',
  '/api\\weather',
  '/api/weather%',
  '/api/weather;x',
  '/weather-now/',
]

let devnet: Devnet<'evm'>
let server: ChildProcess | undefined
let baseUrl: string

/** Runs the `next` CLI in the fixture app with the devnet configuration in its environment. */
function next(args: string[]): { child: ChildProcess; output: () => string } {
  const { network, rpcUrl, token, accounts } = devnet.evm
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      OPEN402_NEXT_DIST_DIR: DIST_DIR,
      OPEN402_NETWORK: network,
      OPEN402_RPC_URL: rpcUrl,
      OPEN402_TOKEN: JSON.stringify(token),
      OPEN402_FACILITATOR_KEY: accounts.facilitator.privateKey,
      OPEN402_PAY_TO: accounts.merchant.address,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  return { child, output: () => output }
}

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  const build = next(['build'])
  const [code] = await once(build.child, 'exit')
  if (code !== 0) throw new Error(`next build failed (${code}):\n${build.output()}`)

  const start = next(['start', '--port', '0', '--hostname', '127.0.0.1'])
  server = start.child
  baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const url = /- Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(start.output())?.[1]
      if (url && start.output().includes('Ready')) resolve(url)
    }
    start.child.stdout?.on('data', onData)
    start.child.once('exit', (exitCode) =>
      reject(new Error(`next start exited (${exitCode}):\n${start.output()}`)),
    )
  })
}, 180_000)

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = once(server, 'exit')
    server.kill('SIGTERM')
    await exited
  }
  await devnet?.stop()
  await rm(join(APP_DIR, DIST_DIR), { recursive: true, force: true })
  await rmdir(join(APP_DIR, '.next')).catch(() => {}) // kept when another run or a manual build uses it
})

const payer = () => devnet.evm.accounts.payer
const balances = async () => {
  const [payerBalance, merchant] = await Promise.all([
    tokenBalance(devnet, payer().address),
    tokenBalance(devnet, devnet.evm.accounts.merchant.address),
  ])
  return { payer: payerBalance, merchant }
}
const paidFetch = () =>
  wrapFetch(
    fetch,
    createPaymentClient({
      schemes: [
        exactEvmClient({
          account: privateKeyToAccount(payer().privateKey),
          assets: { [devnet.evm.network]: devnet.evm.token },
        }),
      ],
    }),
  )

describe('a Next.js app with route handlers wrapped by withPayment', () => {
  test('answers GET /api/weather without payment with 402, the devnet offer and the same JSON body', async () => {
    const res = await fetch(`${baseUrl}/api/weather`)
    expect(res.status).toBe(402)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const required = decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '')
    expect(required).toMatchObject({ x402Version: 2, error: 'Payment required' })
    expect(required.resource).toMatchObject({ description: 'Current weather' })
    // Next builds request.url from its own host name, not the Host header (see the README).
    expect(new URL(required.resource.url).pathname).toBe('/api/weather')
    expect(required.accepts).toEqual([
      {
        scheme: 'exact',
        network: devnet.evm.network,
        amount: PRICE_ATOMIC.toString(),
        asset: devnet.evm.token.address,
        payTo: devnet.evm.accounts.merchant.address,
        maxTimeoutSeconds: 300,
        extra: { name: 'USD Coin', version: '2' },
      },
    ])
    expect(await res.json()).toEqual(required)
  })

  test('asks for payment on every URL Next routes to the handler: a rewrite, a HEAD', async () => {
    const rewritten = await fetch(`${baseUrl}/weather-now`)
    expect(rewritten.status).toBe(402)
    expect(await rewritten.text()).not.toContain('sunny')
    const head = await fetch(`${baseUrl}/api/weather`, { method: 'HEAD' })
    expect(head.status).toBe(402)
    expect(head.headers.get('PAYMENT-REQUIRED')).not.toBeNull()
  })

  test.each(ODD_TARGETS)('never serves the paid content unpaid at %s', async (target) => {
    const res = await rawRequest(baseUrl, target)
    expect([402, 404, 308]).toContain(res.status)
    expect(res.text).not.toContain('sunny')
    if (res.status === 402)
      expect(decodePaymentRequired(res.headers.get('PAYMENT-REQUIRED') ?? '').accepts).toHaveLength(1)
  })

  test('answers a CORS preflight through the OPTIONS export with 204, without payment', async () => {
    const res = await fetch(`${baseUrl}/api/weather`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'payment-signature',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('payment-signature')
  })

  test('serves the paid weather with PAYMENT-RESPONSE and moves the price from payer to merchant', async () => {
    const before = await balances()
    const res = await paidFetch()(`${baseUrl}/api/weather`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ weather: 'sunny' })
    const settlement = getPaymentResponse(res)
    expect(settlement).toMatchObject({ success: true, network: devnet.evm.network, payer: payer().address })
    expect(settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    const after = await balances()
    expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
    expect(after.merchant - before.merchant).toBe(PRICE_ATOMIC)
  })

  test('settles nothing when the handler answers 500 or throws', async () => {
    const before = await balances()
    const failed = await paidFetch()(`${baseUrl}/api/broken`)
    expect(failed.status).toBe(500)
    expect(await failed.json()).toEqual({ error: 'database down' })
    expect(failed.headers.get('PAYMENT-RESPONSE')).toBeNull()

    const thrown = await paidFetch()(`${baseUrl}/api/throws`)
    expect(thrown.status).toBe(500)
    const text = await thrown.text()
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'the route handler failed' })
    expect(text).not.toContain('exploded')
    expect(thrown.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(await balances()).toEqual(before)
  })

  test('settles first on the before-mode route and streams its events while the stream is still open', async () => {
    const before = await balances()
    const abort = new AbortController()
    const res = await paidFetch()(`${baseUrl}/api/stream`, { signal: abort.signal })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    expect(getPaymentResponse(res)?.success).toBe(true)
    // The handler never closes its stream: reading its first event proves nothing buffered it.
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('data: tick 1\n\n')
    abort.abort()
    const after = await balances()
    expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
  })
})
