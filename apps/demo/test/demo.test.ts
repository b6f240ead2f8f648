import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runAgent } from '../src/agent.js'
import { type DemoStack, startDemoStack } from '../src/stack.js'

describe('the demo stack', () => {
  let stack: DemoStack
  beforeAll(async () => {
    stack = await startDemoStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  test('the agent pays one route on each chain and each merchant receives exactly the price', async () => {
    const lines: string[] = []
    const reports = await runAgent(stack, (line) => lines.push(line))

    expect(
      reports.map(({ path, chain, network, status, payerPaid, merchantReceived }) => ({
        path,
        chain,
        network,
        status,
        payerPaid,
        merchantReceived,
      })),
    ).toEqual([
      {
        path: '/api/weather',
        chain: 'evm',
        network: 'eip155:31337',
        status: 200,
        payerPaid: 1_000n,
        merchantReceived: 1_000n,
      },
      {
        path: '/articles/why-402',
        chain: 'svm',
        network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
        status: 200,
        payerPaid: 50_000n,
        merchantReceived: 50_000n,
      },
    ])
    expect(reports[0]?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(reports[1]?.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    const output = lines.join('\n')
    expect(output).toContain('402 Payment Required, 2 offers')
    expect(output).toContain('paying $0.001 on EVM')
    expect(output).toContain('paying $0.05 on Solana')
    expect(output).toContain('facilitator verified the payment')
    for (const report of reports) expect(output).toContain(`settled in transaction ${report.transaction}`)
  })

  test('an unpaid request to a paid route gets a 402 and no content', async () => {
    const response = await fetch(`${stack.serverUrl}/api/weather`)
    expect(response.status).toBe(402)
    expect(response.headers.get('PAYMENT-REQUIRED')).toBeTruthy()
    expect(await response.text()).not.toContain('Lisbon')
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
        facilitator: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        routes: [
          { method: 'GET', path: '/api/weather', price: '$0.001' },
          { method: 'GET', path: '/articles/why-402', price: '$0.05' },
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
