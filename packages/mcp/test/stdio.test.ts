// A paid tool over the stdio transport: the server is a child process (node --import tsx, on the workspace
// sources), the client our withPayments around the SDK's StdioClientTransport.
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { paymentRequiredFromToolResult, withPayments } from '../src/index.js'
import { nth } from './support/helpers.js'
import { devnetPaymentClient, startDevnetFacilitator } from './support/payment-stack.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SERVER_SCRIPT = fileURLToPath(new URL('./support/stdio-server.ts', import.meta.url))

let devnet: Devnet
let facilitator: { url: string; close(): Promise<void> }
let mcpClient: Client
let transport: StdioClientTransport

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = await startDevnetFacilitator(devnet)
  transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', '--conditions=@open402/source', SERVER_SCRIPT],
    cwd: REPO_ROOT, // where `tsx` (a root devDependency) resolves
    env: {
      ...(process.env as Record<string, string>),
      OPEN402_TEST_DEVNET: JSON.stringify(devnet.describe()),
      OPEN402_TEST_FACILITATOR_URL: facilitator.url,
    },
    stderr: 'inherit',
  })
  mcpClient = new Client({ name: 'open402-mcp-stdio-test', version: '1.0.0' })
  await mcpClient.connect(transport)
})

afterAll(async () => {
  await mcpClient?.close()
  await facilitator?.close()
  await devnet?.stop()
})

test('a paid tool served over stdio by a child process is paid once, with exact balances', async () => {
  const { accounts } = devnet.evm
  const payer = nth(accounts.others, 0)
  const unpaid = await mcpClient.callTool({ name: 'weather', arguments: { city: 'Paris' } })
  expect(paymentRequiredFromToolResult(unpaid)?.resource.url).toBe('mcp://tool/weather')

  const client = await devnetPaymentClient(devnet, { evm: payer })
  const before = await Promise.all([
    tokenBalance(devnet, accounts.merchant.address),
    tokenBalance(devnet, payer.address),
  ])
  const { result, payment } = await withPayments(mcpClient, { client }).callTool({
    name: 'weather',
    arguments: { city: 'Paris' },
  })
  expect((result.content[0] as { text: string }).text).toBe(`Paris: sunny (pid ${transport.pid})`)
  expect(payment).toMatchObject({ success: true, network: devnet.evm.network, payer: payer.address })
  expect([
    await tokenBalance(devnet, accounts.merchant.address),
    await tokenBalance(devnet, payer.address),
  ]).toEqual([before[0] + 10_000n, before[1] - 10_000n])
})
