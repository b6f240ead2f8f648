// An MCP server on stdio with one paid tool, run as a child process by stdio.test.ts:
//   node --import tsx --conditions=@open402/source stdio-server.ts
// It reads the devnet's description and the facilitator's URL from the environment.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { DevnetDescription } from '@open402/devnet'
import { z } from 'zod'
import { registerPaidTool } from '../../src/index.js'
import { devnetResourceServer } from './payment-stack.js'

const devnet = JSON.parse(process.env.OPEN402_TEST_DEVNET ?? '') as DevnetDescription
const facilitatorUrl = process.env.OPEN402_TEST_FACILITATOR_URL ?? ''
const { network, accounts } = devnet.evm

const server = new McpServer({ name: 'paid-stdio', version: '1.0.0' })
registerPaidTool(
  server,
  devnetResourceServer(devnet, facilitatorUrl),
  'weather',
  {
    description: 'Current weather',
    inputSchema: { city: z.string() },
    payment: { accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address } },
  },
  ({ city }) => ({ content: [{ type: 'text', text: `${city}: sunny (pid ${process.pid})` }] }),
)
await server.connect(new StdioServerTransport())
