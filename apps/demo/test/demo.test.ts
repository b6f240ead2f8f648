import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { tokenBalance } from '@open402/devnet'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { explainBudgetRefusal, runAgent } from '../src/agent.js'
import { discoverAndPay, retryAfterLostAnswer } from '../src/agent-discovery-and-retry.js'
import { followPriceFeed, payForWhatWasUsed } from '../src/agent-pays-for-use.js'
import { agentsAtWork } from '../src/agents-at-work.js'
import { ATOMIC_PER_GENERATED_TOKEN } from '../src/api.js'
import { type DemoStack, startDemoStack } from '../src/stack.js'

describe('the demo stack', () => {
  let stack: DemoStack
  beforeAll(async () => {
    stack = await startDemoStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  test('the agent pays every route, alternating chains, and each merchant receives exactly the price', async () => {
    const lines: string[] = []
    const reports = await runAgent(stack, (line) => lines.push(line))

    expect(
      reports.map(({ path, kind, chain, network, status, payerPaid, merchantReceived }) => ({
        path,
        kind,
        chain,
        network,
        status,
        payerPaid,
        merchantReceived,
      })),
    ).toEqual([
      {
        path: '/api/weather',
        kind: 'paid',
        chain: 'evm',
        network: 'eip155:31337',
        status: 200,
        payerPaid: 1_000n,
        merchantReceived: 1_000n,
      },
      {
        path: '/articles/why-402',
        kind: 'paid',
        chain: 'svm',
        network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
        status: 200,
        payerPaid: 50_000n,
        merchantReceived: 50_000n,
      },
      {
        path: '/api/complete',
        kind: 'paid',
        chain: 'evm',
        network: 'eip155:31337',
        status: 200,
        payerPaid: 2_000n,
        merchantReceived: 2_000n,
      },
      // The return visit: signed in with the wallet that paid, nothing paid.
      {
        path: '/articles/why-402',
        kind: 'signed-in',
        chain: 'svm',
        network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
        status: 200,
        payerPaid: 0n,
        merchantReceived: 0n,
      },
    ])
    expect(reports[3]?.transaction).toBe('')
    expect(reports[0]?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(reports[1]?.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    expect(reports[2]?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    const output = lines.join('\n')
    expect(output).toContain('402 Payment Required, 2 offers')
    expect(output).toContain('paying $0.001 on EVM')
    expect(output).toContain('paying $0.05 on Solana')
    expect(output).toContain('price computed by the server for this request: $0.002')
    expect(output).toContain('paying $0.002 on EVM')
    expect(output).toContain('⇣ token 1: Paid')
    expect(output).toMatch(/⇣ token 20: asks\n {2}⇣ token 21: for\.\n/)
    expect(output).toContain('facilitator verified the payment')
    for (const report of reports) expect(output).toContain(`settled in transaction ${report.transaction}`)
  })

  test('a paid request whose answer the network loses is retried with the same payment and charged once', async () => {
    const lines: string[] = []
    const retried = await retryAfterLostAnswer(stack, (line) => lines.push(line))
    expect(retried).toMatchObject({
      status: 200,
      lost: 1,
      sent: 2,
      sameSignature: true,
      merchantReceived: 1_000n,
    })
    expect(lines.join('\n')).toMatch(/paying \$0\.001 on Solana with payment identifier pay_[0-9a-f]{32}/)
  })

  test('a new agent finds the weather API in the facilitator catalog and pays the offer it can pay', async () => {
    const lines: string[] = []
    const discovered = await discoverAndPay(stack, (line) => lines.push(line))
    expect(discovered).toMatchObject({
      status: 200,
      network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
      merchantReceived: 1_000n,
    })
    expect(new URL(discovered.url).pathname).toBe('/api/weather')
    expect(new URL(discovered.url).searchParams.get('city')).toBe('Porto')
    expect(lines.join('\n')).toContain('Current weather for a city, paid per request')
  })

  test('an agent pays a per-day MCP tool on EVM, then hires the translator agent over A2A on Solana', async () => {
    const lines: string[] = []
    const [tool, hired] = await agentsAtWork(stack, (line) => lines.push(line))
    expect(tool).toMatchObject({
      status: 200,
      network: 'eip155:31337',
      merchantReceived: 3_000n, // 3 days at $0.001
      answer: 'Lisbon: day 1: sunny, day 2: cloudy, day 3: rain',
    })
    expect(tool?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(hired).toMatchObject({
      status: 200,
      network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
      merchantReceived: 3_000n, // $0.003 a task
      answer: 'Lisbon: day 1: ensolarado, day 2: nublado, day 3: chuva',
    })
    expect(hired?.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    const output = lines.join('\n')
    expect(output).toContain('forecast (Weather forecast for a city, $0.001 per day)')
    expect(output).toContain('card: Translator: Translates short weather reports into Portuguese')
    expect(output).toContain('task completed, paid $0.003 on solana:')
  })

  test('a generation is paid for what it used: $0.10 authorized, the generated tokens settled (upto)', async () => {
    const { evm } = stack.devnet
    const merchantBefore = await tokenBalance(stack.devnet, evm.accounts.merchant.address)
    const lines: string[] = []
    const report = await payForWhatWasUsed(stack, (line) => lines.push(line))
    expect(report).toMatchObject({ status: 200, network: 'eip155:31337', authorized: 100_000n })
    expect(report.tokens).toBeGreaterThan(5)
    expect(report.settled).toBe(BigInt(report.tokens * ATOMIC_PER_GENERATED_TOKEN))
    expect(report.settled).toBeLessThan(report.authorized)
    expect(await tokenBalance(stack.devnet, evm.accounts.merchant.address)).toBe(
      merchantBefore + report.settled,
    )
    expect(report.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(lines.join('\n')).toMatch(/\d+ tokens: settled \$0\.\d+ of the \$0\.10? authorized/)
  })

  test('a price feed billed per update: the agent leaves at its cap and pays for the updates it got', async () => {
    const lines: string[] = []
    const report = await followPriceFeed(stack, (line) => lines.push(line))
    expect(report).toMatchObject({ status: 200, authorized: 10_000n, updates: 4, settled: 2_000n })
    expect(lines.join('\n')).toContain('settled $0.002 of the $0.01 authorized, for 4 updates')
  })

  test('with a small budget the agent refuses the article before signing and says which policy refused', async () => {
    const { evm } = stack.devnet
    const before = await tokenBalance(stack.devnet, evm.accounts.payer.address)
    const lines: string[] = []
    const explanation = await explainBudgetRefusal(stack, (line) => lines.push(line))
    expect(explanation).toMatch(/budget\(per host 127\.0\.0\.1:\d+, \$0\.02\/day\): would spend \$0\.05/)
    expect(lines.join('\n')).toContain('not paid:')
    expect(await tokenBalance(stack.devnet, evm.accounts.payer.address)).toBe(before)
  })

  test('an unpaid request to a paid route gets a 402 and no content', async () => {
    const response = await fetch(`${stack.serverUrl}/api/weather`)
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).toBeTruthy()
    // The 402 describes the API (a Porto example for discovery), never the content itself.
    expect(await response.text()).not.toContain('"temperatureC":19')
  })

  test('the completion is priced from the request body: $0.00001 per requested token', async () => {
    const ask = (maxTokens: number) =>
      fetch(`${stack.serverUrl}/api/complete`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ maxTokens }),
      })
    for (const [tokens, amount] of [
      [1, '10'],
      [200, '2000'],
      [5000, '50000'],
    ] as const) {
      const response = await ask(tokens)
      expect(response.status).toBe(402)
      const required = JSON.parse(
        Buffer.from(response.headers.get('PAYMENT-REQUIRED') ?? '', 'base64').toString(),
      ) as { accepts: { amount: string }[] }
      expect(required.accepts.map((offer) => offer.amount)).toEqual([amount, amount])
    }
    const invalid = await ask(0)
    expect(invalid.status).toBe(500)
    expect(await invalid.json()).toMatchObject({ error: 'invalid_payment_requirements' })
  })
})

describe('pnpm demo --serve', () => {
  test('prints one JSON line describing the stack and stops cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url))
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@open402/source', main, '--serve'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      const lines = createInterface({ input: child.stdout })
      const [first] = (await once(lines, 'line')) as [string]
      const described = JSON.parse(first)
      expect(described).toMatchObject({
        server: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        mcp: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/),
        agent: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/agent-card\.json$/),
        facilitator: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        routes: [
          { method: 'GET', path: '/api/weather', price: '$0.001' },
          { method: 'GET', path: '/articles/why-402', price: '$0.05' },
          { method: 'POST', path: '/api/complete', price: '$0.00001 per token' },
          {
            method: 'GET',
            path: '/api/prices',
            price: 'up to $0.01, $0.0005 per update',
            scheme: 'upto',
          },
          {
            method: 'POST',
            path: '/api/generate',
            price: 'up to $0.10, $0.0001 per token',
            scheme: 'upto',
          },
        ],
        devnet: {
          evm: {
            chainId: 31337,
            network: 'eip155:31337',
            token: { name: 'USD Coin', version: '2', decimals: 6 },
            accounts: {
              payer: { address: expect.any(String), privateKey: expect.any(String) },
              merchant: { address: expect.any(String), privateKey: expect.any(String) },
              facilitator: { address: expect.any(String), privateKey: expect.any(String) },
            },
          },
          svm: {
            rpcUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
            network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
            mint: { address: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', decimals: 6 },
            accounts: {
              payer: { address: expect.any(String), secretKey: expect.any(String) },
              merchant: { address: expect.any(String), secretKey: expect.any(String) },
              facilitator: { address: expect.any(String), secretKey: expect.any(String) },
            },
          },
        },
      })
      const unpaid = await fetch(`${described.server}/api/weather`)
      expect(unpaid.status).toBe(402)
      // The article's URL, for a person: a browser gets the paywall page, with the terms in the header too.
      expect(described.article).toBe(`${described.server}/articles/why-402`)
      const page = await fetch(described.article, { headers: { Accept: 'text/html,*/*;q=0.8' } })
      expect(page.status).toBe(402)
      expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('PAYMENT-REQUIRED')).toBeTruthy()
      const html = await page.text()
      expect(html).toContain('A premium article, no subscription')
      expect(html).toContain('open402 devnet (Solana)')
      const health = await fetch(`${described.facilitator}/healthz`)
      expect(health.status).toBe(200)

      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code] = (await exited) as [number | null]
      expect(code).toBe(0)
      await expect(fetch(`${described.server}/api/weather`)).rejects.toThrow()
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
