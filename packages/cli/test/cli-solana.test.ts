import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { createFacilitator, createResourceServer, type RoutesConfig } from '@open402/core'
import { type Devnet, startDevnet, svmTokenBalance } from '@open402/devnet'
import { paymentMiddleware } from '@open402/hono'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { exactSvmServer } from '@open402/svm/server'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BuiltCli, buildCli, PACKAGE_DIR } from './support/built-cli.js'

// `open402 pay` on Solana, and its question on a real terminal (a pseudo-terminal from util-linux
// `script`), with the built binary run as a subprocess as in cli.test.ts.
const SECRET = 'the paid tide table'
const PRICE_ATOMIC = 2000n // $0.002 of the 6-decimal devnet USDC

let cli: BuiltCli
let devnet: Devnet<'svm'>
let site: ServerType
let url: string
let flags: string[]
let payerKey: string
const open402 = (args: string[], env: Record<string, string>) => cli.run(args, env)

/**
 * Runs `open402 …` on a pseudo-terminal (`script -qec`), typing `answer` once the question is on screen.
 * The terminal merges stdout and stderr into `output`.
 */
async function open402OnTerminal(args: string[], env: Record<string, string>, answer: string) {
  const quoted = [...cli.argv, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  const child = spawn('script', ['-qec', quoted, '/dev/null'], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  let answered = false
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
    if (!answered && output.includes('[y/N]')) {
      answered = true
      child.stdin.write(`${answer}\r`)
    }
  })
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, output, answered }
}

const balance = () => svmTokenBalance(devnet, devnet.svm.accounts.payer.address)

beforeAll(async () => {
  cli = buildCli('solana')
  devnet = await startDevnet({ chains: ['svm'] })
  const { svm } = devnet
  const signer = await createKeyPairSignerFromBytes(
    getBase58Encoder().encode(svm.accounts.facilitator.secretKey),
  )
  const facilitator = createFacilitator({
    schemes: [
      exactSvmFacilitator({ signers: [signer], networks: { [svm.network]: { rpcUrl: svm.rpcUrl } } }),
    ],
  })
  const server = createResourceServer({ facilitator, schemes: [exactSvmServer()] })
  const routes: RoutesConfig = {
    'GET /tides': {
      accepts: {
        scheme: 'exact',
        network: svm.network,
        price: { amount: PRICE_ATOMIC.toString(), asset: svm.mint.address },
        payTo: svm.accounts.merchant.address,
      },
      description: 'Paid tide table',
      mimeType: 'text/plain',
    },
  }
  const app = new Hono()
  app.use(paymentMiddleware(server, { routes }))
  app.get('/tides', (c) => c.text(SECRET))
  site = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(site, 'listening')
  url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/tides`
  flags = ['--asset', `${svm.network}=${svm.mint.address}:6`, '--rpc', `${svm.network}=${svm.rpcUrl}`]
  payerKey = svm.accounts.payer.secretKey
})

afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve))
  await devnet?.stop()
})

describe('open402 pay on Solana', () => {
  test('--yes pays the price in devnet USDC and prints the content and the receipt', async () => {
    const before = await balance()
    const run = await open402(['pay', url, '--yes', ...flags], { OPEN402_SOLANA_KEY: payerKey })
    expect(run.stderr).toContain(`receipt: paid $0.002 on ${devnet.svm.network}`)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(SECRET)
    expect(await balance()).toBe(before - PRICE_ATOMIC)
  })

  test('a key file holding a JSON array of bytes (solana-keygen) and --json', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'open402-cli-')), 'id.json')
    writeFileSync(file, JSON.stringify([...getBase58Encoder().encode(payerKey)]))
    const before = await balance()
    const run = await open402(
      ['pay', url, '--max', '$0.01', '--solana-key-file', file, '--json', ...flags],
      {},
    )
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      paid: true,
      body: SECRET,
      price: { atomic: '2000', dollars: '$0.002' },
      receipt: { success: true, network: devnet.svm.network, payer: devnet.svm.accounts.payer.address },
    })
    expect(await balance()).toBe(before - PRICE_ATOMIC)
  })

  test('an unreachable chain RPC is a clear error, and nothing is paid', async () => {
    const before = await balance()
    const network = devnet.svm.network
    const run = await open402(
      ['pay', url, '--yes', '--asset', flags[1] as string, '--rpc', `${network}=http://127.0.0.1:2`],
      { OPEN402_SOLANA_KEY: payerKey },
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `not paid: creating the payment failed: ECONNREFUSED; a Solana payment reads the chain through its RPC (--rpc ${network}=<url>)`,
    )
    expect(run.stdout).toBe('')
    expect(await balance()).toBe(before)
  })
})

describe('open402 pay asks on a terminal', () => {
  test('answering y pays and prints the content', async () => {
    const before = await balance()
    const run = await open402OnTerminal(['pay', url, ...flags], { OPEN402_SOLANA_KEY: payerKey }, 'y')
    expect(run.answered).toBe(true)
    expect(run.output).toMatch(/\$0\.002/)
    expect(run.code).toBe(0)
    expect(run.output).toContain(SECRET)
    expect(await balance()).toBe(before - PRICE_ATOMIC)
  })

  test('answering anything else (here: Enter) refuses and pays nothing', async () => {
    const before = await balance()
    const run = await open402OnTerminal(['pay', url, ...flags], { OPEN402_SOLANA_KEY: payerKey }, '')
    expect(run.answered).toBe(true)
    expect(run.code).toBe(1)
    expect(run.output).not.toContain(SECRET)
    expect(await balance()).toBe(before)
  })
})
