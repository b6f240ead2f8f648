import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createResourceServer,
  decodePaymentRequired,
  encodePaymentResponse,
  type RoutesConfig,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmFacilitator, exactEvmServer } from '@open402/evm'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BuiltCli, buildCli, PACKAGE_DIR } from './support/built-cli.js'

const SECRET = 'the paid weather: sunny'
const PRICE_ATOMIC = 1000n // $0.001 of the 6-decimal devnet token

let cli: BuiltCli
const open402 = (args: string[], env: Record<string, string> = {}) => cli.run(args, env)

let devnet: Devnet<'evm'>
let site: ServerType
let siteUrl: string
let asset: string
let payerKey: string
let payer: `0x${string}`

beforeAll(async () => {
  cli = buildCli('main')
  devnet = await startDevnet({ chains: ['evm'] })
  const { network, token, rpcUrl, accounts } = devnet.evm
  asset = `${network}=${token.address}:${token.decimals}`
  payerKey = accounts.payer.privateKey
  payer = accounts.payer.address
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: { rpcUrl } },
      }),
    ],
  })
  const server = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const routes: RoutesConfig = {
    'GET /weather': {
      accepts: { scheme: 'exact', network, price: '$0.001', payTo: accounts.merchant.address },
      description: 'Paid weather',
      mimeType: 'text/plain',
    },
  }
  const app = new Hono()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/weather', (c) => c.text(SECRET))
  app.get('/free', (c) => c.text('free content'))
  site = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(site, 'listening')
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve))
  await devnet?.stop()
})

const balance = () => tokenBalance(devnet, payer)

describe('open402 --help', () => {
  test.each([
    [[], 'Usage: open402 <command>'],
    [['--help'], 'Usage: open402 <command>'],
    [['pay', '--help'], 'Usage: open402 pay <url>'],
    [['inspect', '--help'], 'Usage: open402 inspect <url>'],
    [['discover', '--help'], 'Usage: open402 discover <facilitator-url>'],
    [['devnet', '--help'], 'Usage: open402 devnet'],
    [['facilitator', '--help'], 'Usage: open402 facilitator'],
  ])('open402 %j prints its usage', async (args, usage) => {
    const run = await open402(args)
    expect(run.stdout).toContain(usage)
    expect(run.code).toBe(args.length === 0 ? 2 : 0)
  })

  test('an unknown command or option is a usage error (exit 2)', async () => {
    const unknown = await open402(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command frobnicate')
    const option = await open402(['inspect', '--bogus', 'http://127.0.0.1/'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain("Unknown option '--bogus'")
  })
})

describe('open402 inspect', () => {
  test('explains the 402 of a paid route: offer, network, price in dollars and atomic units', async () => {
    const run = await open402(['inspect', `${siteUrl}/weather`, '--asset', asset])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('402 Payment Required')
    expect(run.stdout).toContain(`resource: ${siteUrl}/weather (Paid weather, text/plain)`)
    expect(run.stdout).toContain(`exact on ${devnet.evm.network}: $0.001 (1000 atomic units at 6 decimals)`)
    expect(run.stdout).toContain(`pay to ${devnet.evm.accounts.merchant.address}`)
    expect(run.stdout).toContain('extensions:')
  })

  test('without --asset, an unknown token is priced in atomic units and says how to get dollars', async () => {
    const run = await open402(['inspect', `${siteUrl}/weather`])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1000 atomic units (decimals unknown: add --asset')
  })

  test('--json gives the decoded PAYMENT-REQUIRED and each offer with its price', async () => {
    const run = await open402(['inspect', `${siteUrl}/weather`, '--asset', asset, '--json'])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report.status).toBe(402)
    expect(report.paymentRequired.x402Version).toBe(2)
    expect(report.offers).toHaveLength(1)
    expect(report.offers[0]).toMatchObject({
      network: devnet.evm.network,
      amount: '1000',
      price: { atomic: '1000', decimals: 6, dollars: '$0.001' },
    })
  })

  test('a free URL is reported as not asking for payment', async () => {
    const run = await open402(['inspect', `${siteUrl}/free`])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('200 OK: no payment required')
  })

  test('decodes PAYMENT-REQUIRED and PAYMENT-RESPONSE header values', async () => {
    const response = await fetch(`${siteUrl}/weather`)
    const header = response.headers.get('PAYMENT-REQUIRED') as string
    const required = await open402(['inspect', header, '--json'])
    expect(required.code).toBe(0)
    expect(JSON.parse(required.stdout)).toMatchObject({
      header: 'PAYMENT-REQUIRED',
      value: decodePaymentRequired(header),
    })
    const receipt = encodePaymentResponse({
      success: true,
      transaction: `0x${'ab'.repeat(32)}`,
      network: devnet.evm.network,
      payer,
    })
    const text = await open402(['inspect', `PAYMENT-RESPONSE: ${receipt}`])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('settled: yes')
    expect(text.stdout).toContain(`transaction: 0x${'ab'.repeat(32)}`)
    expect(text.stdout).toContain(`payer: ${payer}`)
  })

  test('a bad URL or an unreachable host is a clear error with a non-zero exit code', async () => {
    const bad = await open402(['inspect', 'not-a-url'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('open402 inspect: not a URL: not-a-url')
    const closed = await open402(['inspect', 'http://127.0.0.1:1/'])
    expect(closed.code).toBe(1)
    expect(closed.stderr).toContain('GET http://127.0.0.1:1/ failed')
  })
})

describe('open402 pay', () => {
  test('--yes pays the price on the devnet and prints the content and the receipt', async () => {
    const before = await balance()
    const run = await open402(['pay', `${siteUrl}/weather`, '--yes', '--asset', asset], {
      OPEN402_EVM_KEY: payerKey,
    })
    expect(run.stderr).toContain('receipt: paid $0.001 on eip155:31337')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(SECRET)
    expect(run.stderr).toMatch(/transaction 0x[0-9a-f]{64}/)
    expect(await balance()).toBe(before - PRICE_ATOMIC)
  })

  test('--json with a key file and --max: one JSON object with the offer, price, receipt and body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'open402-cli-'))
    const keyFile = join(dir, 'payer.key')
    writeFileSync(keyFile, `${payerKey}\n`)
    const before = await balance()
    const run = await open402([
      'pay',
      `${siteUrl}/weather`,
      '--max',
      '$0.01',
      '--key-file',
      keyFile,
      '--asset',
      asset,
      '--json',
    ])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({
      status: 200,
      paid: true,
      body: SECRET,
      price: { atomic: '1000', dollars: '$0.001' },
      receipt: { success: true, network: devnet.evm.network, payer },
    })
    expect(report.receipt.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await balance()).toBe(before - PRICE_ATOMIC)
  })

  test('without --yes or --max, on a stdin that is not a terminal, refuses and pays nothing', async () => {
    const before = await balance()
    const run = await open402(['pay', `${siteUrl}/weather`, '--asset', asset], { OPEN402_EVM_KEY: payerKey })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('needs a confirmation, and stdin is not a terminal; pass --yes')
    expect(run.stdout).toBe('')
    expect(await balance()).toBe(before)
  })

  test('--max below the price refuses with the policy reason and pays nothing', async () => {
    const before = await balance()
    const run = await open402(['pay', `${siteUrl}/weather`, '--max', '$0.0005', '--asset', asset], {
      OPEN402_EVM_KEY: payerKey,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('not paid:')
    expect(run.stderr).toContain('maxAmount: 1000 atomic units exceed the cap of $0.0005')
    expect(await balance()).toBe(before)
  })

  test('a key given as a flag value is refused with a clear message', async () => {
    const before = await balance()
    const run = await open402(['pay', `${siteUrl}/weather`, '--yes', '--key', payerKey])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("--key is refused: keys are never read from a flag's value")
    expect(run.stderr).not.toContain(payerKey)
    const asFile = await open402(['pay', `${siteUrl}/weather`, '--yes', '--key-file', payerKey])
    expect(asFile.code).toBe(2)
    expect(asFile.stderr).toContain('--key-file takes a file, not a key')
    expect(asFile.stderr).not.toContain(payerKey)
    expect(await balance()).toBe(before)
  })

  test('without a key, or with a bad URL, a clear error and a non-zero exit code', async () => {
    const noKey = await open402(['pay', `${siteUrl}/weather`, '--yes'])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('no key to pay with: set OPEN402_EVM_KEY')
    const badUrl = await open402(['pay', 'ftp://example', '--yes'], { OPEN402_EVM_KEY: payerKey })
    expect(badUrl.code).toBe(2)
    expect(badUrl.stderr).toContain('not an http(s) URL: ftp://example')
    const json = await open402(['pay', 'nope', '--json'], { OPEN402_EVM_KEY: payerKey })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({
      error: { message: 'not a URL: nope (expected http://… or https://…)' },
    })
  })
})

describe('open402 discover', () => {
  test('an unreachable facilitator is a clear error', async () => {
    const run = await open402(['discover', 'http://127.0.0.1:1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('GET http://127.0.0.1:1/discovery/resources failed')
  })
})

describe('open402 devnet', () => {
  test('prints the description as one JSON line, then stops and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [...cli.argv.slice(1), 'devnet', '--chains', 'evm'], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    const firstLine = new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')))
      })
    })
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const description = JSON.parse(await firstLine)
    expect(description.evm.network).toBe('eip155:31337')
    const chainId = await fetch(description.evm.rpcUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    }).then((response) => response.json())
    expect(chainId.result).toBe('0x7a69')
    child.kill('SIGTERM')
    expect(await exited).toEqual([0, null])
    expect(stdout.trim().split('\n')).toHaveLength(1)
  })
})

describe('README', () => {
  test('the first example prints what the README says', async () => {
    const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8')
    const command = /^open402 inspect '(PAYMENT-RESPONSE: [^']+)'$/m.exec(readme)?.[1] as string
    const printed = /prints\n\n```text\n([^`]*)```/.exec(readme)?.[1]
    const run = await open402(['inspect', command])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(printed)
  })
})

describe('open402 facilitator', () => {
  test('serves the facilitator API on the devnet, prints its URL first, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'open402-cli-'))
    const keyFile = join(dir, 'facilitator.key')
    writeFileSync(keyFile, `${devnet.evm.accounts.others[0]?.privateKey}\n`)
    const args = ['--network', devnet.evm.network, '--rpc-url', devnet.evm.rpcUrl, '--key-file', keyFile]
    const child = spawn(process.execPath, [...cli.argv.slice(1), 'facilitator', '--port', '0', ...args], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', OPEN402_STORAGE_URL: `sqlite:${join(dir, 'facilitator.db')}` },
    })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    const firstLine = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')))
      })
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
    })
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const { url } = JSON.parse(await firstLine) as { url: string }
    const supported = (await fetch(`${url}/supported`).then((response) => response.json())) as {
      kinds: { network: string; scheme: string }[]
    }
    expect(supported.kinds).toContainEqual(
      expect.objectContaining({ scheme: 'exact', network: devnet.evm.network }),
    )
    // It keeps its settlements and discovery catalog in the database named by OPEN402_STORAGE_URL.
    const discover = await open402(['discover', url, '--json'])
    expect(discover.code).toBe(0)
    expect(JSON.parse(discover.stdout)).toMatchObject({ items: [], pagination: { total: 0 } })
    expect(existsSync(join(dir, 'facilitator.db'))).toBe(true)
    child.kill('SIGTERM')
    expect(await exited).toEqual([0, null])
  })
})
